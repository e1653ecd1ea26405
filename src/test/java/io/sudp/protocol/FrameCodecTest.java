package io.sudp.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class FrameCodecTest {
  static ByteBuf encode(Frame... frames) {
    ByteBuf out = Unpooled.buffer();
    for (Frame frame : frames) {
      int before = out.writerIndex();
      frame.encodeTo(out);
      assertThat(out.writerIndex() - before).isEqualTo(frame.encodedLength());
    }
    return out;
  }

  static byte[] pattern(int length) {
    byte[] bytes = new byte[length];
    new Random(length).nextBytes(bytes);
    return bytes;
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 64, 1200, 65_507})
  void dataRoundTripsByteExact(int length) throws Exception {
    byte[] payload = pattern(length);
    List<Frame> frames =
        FrameCodec.decode(encode(new DataFrame(7, -1, payload)), ProtocolVersion.V1);

    assertThat(frames).hasSize(1);
    DataFrame data = (DataFrame) frames.get(0);
    assertThat(data.flowId()).isEqualTo(7);
    assertThat(data.seq()).isEqualTo(-1);
    assertThat(data.payload()).isEqualTo(payload);
  }

  @Test
  void datagramOverTheLimitCannotBeFramed() {
    assertThatThrownBy(() -> new DataFrame(1, 0, new byte[65_508]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void datagramOverTheLimitIsRejectedOnTheWire() {
    ByteBuf message = Unpooled.buffer();
    message.writeByte(FrameType.DATA.code()).writeInt(1).writeInt(0).writeShort(65_508);
    message.writeZero(65_508);

    assertThatThrownBy(() -> FrameCodec.decode(message, ProtocolVersion.V1))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("exceeds 65507");
  }

  @Test
  void openAndCloseRoundTripForEveryDestinationKind() throws Exception {
    List<Frame> sent =
        List.of(
            new OpenFrame(1, Destination.parse("192.0.2.1:53"), 0),
            new OpenFrame(2, Destination.parse("[2001:db8::1]:65535"), -1),
            new OpenFrame(3, Destination.parse("dns.example.org:1"), 77),
            new CloseFrame(4, FlowCloseReason.FORBIDDEN),
            new CloseFrame(5, FlowCloseReason.IDLE),
            new SessionFrame(true),
            new SessionFrame(false));

    assertThat(FrameCodec.decode(encode(sent.toArray(Frame[]::new)), ProtocolVersion.V1))
        .isEqualTo(sent);
  }

  @Test
  void severalFramesInOneMessageKeepTheirOrder() throws Exception {
    Frame[] sent = new Frame[50];
    for (int i = 0; i < sent.length; i++) {
      sent[i] = new DataFrame(3, i, pattern(i));
    }
    List<Frame> received = FrameCodec.decode(encode(sent), ProtocolVersion.V1);

    assertThat(received).hasSize(50);
    for (int i = 0; i < sent.length; i++) {
      assertThat(((DataFrame) received.get(i)).seq()).isEqualTo(i);
      assertThat(((DataFrame) received.get(i)).payload()).isEqualTo(pattern(i));
    }
  }

  @Test
  void everyTruncationIsRejected() {
    Frame open = new OpenFrame(9, Destination.parse("dns.example:53"), 5);
    Frame data = new DataFrame(9, 1, pattern(20));
    ByteBuf whole = encode(open, data, new CloseFrame(9, FlowCloseReason.NORMAL));
    int firstEnd = open.encodedLength();
    int secondEnd = firstEnd + data.encodedLength();
    for (int length = 1; length < whole.readableBytes(); length++) {
      ByteBuf cut = whole.slice(0, length);
      if (length != firstEnd && length != secondEnd) {
        assertThatThrownBy(() -> FrameCodec.decode(cut, ProtocolVersion.V1))
            .as("truncated at %d", length)
            .isInstanceOf(ProtocolException.class);
      }
    }
  }

  @Test
  void emptyMessageIsRejected() {
    assertThatThrownBy(() -> FrameCodec.decode(Unpooled.EMPTY_BUFFER, ProtocolVersion.V1))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("empty message");
  }

  @Test
  void outboundFramesAreNumberedAsTheyAreWritten() throws Exception {
    FlowSequence sequence = new FlowSequence();
    ByteBuf out =
        encode(
            new OutboundOpen(4, Destination.parse("192.0.2.1:53"), sequence),
            new OutboundData(4, sequence, new byte[] {1}),
            new OutboundData(4, sequence, new byte[] {2}),
            new OutboundOpen(4, Destination.parse("192.0.2.1:53"), sequence));

    List<Frame> frames = FrameCodec.decode(out, ProtocolVersion.V1);
    assertThat(frames.get(0)).isEqualTo(new OpenFrame(4, Destination.parse("192.0.2.1:53"), 0));
    assertThat(((DataFrame) frames.get(1)).seq()).isZero();
    assertThat(((DataFrame) frames.get(2)).seq()).isEqualTo(1);
    assertThat(((DataFrame) frames.get(2)).payload()).containsExactly(2);
    assertThat(frames.get(3)).isEqualTo(new OpenFrame(4, Destination.parse("192.0.2.1:53"), 2));
  }

  @Test
  void onlyASessionFrameHasFlowIdZero() {
    ByteBuf message = encode(new SessionFrame(true));
    message.setInt(1, 3);

    assertThatThrownBy(() -> FrameCodec.decode(message, ProtocolVersion.V1))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("flow id 0");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 5, 6, 0x7f, 0xff})
  void unknownFrameTypesAreRejected(int type) {
    ByteBuf message = Unpooled.buffer().writeByte(type).writeInt(1).writeZero(16);

    assertThatThrownBy(() -> FrameCodec.decode(message, ProtocolVersion.V1))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("unknown frame type " + type + " in sudp.v1");
    if (type == 0 || type > FrameType.UNLISTEN.code()) {
      assertThatThrownBy(() -> FrameCodec.decode(message.resetReaderIndex(), ProtocolVersion.V2))
          .hasMessage("unknown frame type " + type + " in sudp.v2");
    }
  }

  @Test
  void flowIdZeroIsReserved() {
    ByteBuf message = encode(new CloseFrame(1, FlowCloseReason.NORMAL));
    message.setInt(1, 0);

    assertThatThrownBy(() -> FrameCodec.decode(message, ProtocolVersion.V1))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("reserved");
  }

  @Test
  void badDestinationsAreRejected() {
    ByteBuf unknownKind =
        Unpooled.buffer().writeByte(FrameType.OPEN.code()).writeInt(1).writeByte(9).writeZero(6);
    ByteBuf portZero =
        Unpooled.buffer()
            .writeByte(FrameType.OPEN.code())
            .writeInt(1)
            .writeByte(4)
            .writeZero(4)
            .writeShort(0);
    ByteBuf badName =
        Unpooled.buffer()
            .writeByte(FrameType.OPEN.code())
            .writeInt(1)
            .writeByte(3)
            .writeByte(3)
            .writeBytes("a b".getBytes())
            .writeShort(53);

    assertThatThrownBy(() -> FrameCodec.decode(unknownKind, ProtocolVersion.V1))
        .isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> FrameCodec.decode(portZero, ProtocolVersion.V1))
        .isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> FrameCodec.decode(badName, ProtocolVersion.V1))
        .isInstanceOf(ProtocolException.class);
  }

  @Test
  void unknownCloseReasonFromANewerPeerStillClosesTheFlow() throws Exception {
    ByteBuf message =
        Unpooled.buffer().writeByte(FrameType.CLOSE.code()).writeInt(4).writeByte(200);

    assertThat(FrameCodec.decode(message, ProtocolVersion.V1))
        .containsExactly(new CloseFrame(4, FlowCloseReason.NORMAL));
  }

  @Test
  void oversizedMessageIsRejectedBeforeDecoding() {
    ByteBuf message = Unpooled.buffer().writeZero(Limits.MAX_MESSAGE + 1);

    assertThatThrownBy(() -> FrameCodec.decode(message, ProtocolVersion.V1))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("too big");
  }

  /**
   * 100,000 hostile messages, half random bytes and half valid messages with bytes flipped, cut or
   * appended: the decoder either returns frames whose payloads fit in the message (no length ever
   * makes it allocate more than it was given) or throws {@link ProtocolException}; nothing else.
   */
  @ParameterizedTest
  @EnumSource(ProtocolVersion.class)
  void fuzzedMessagesGetNothingButTheDocumentedRejection(ProtocolVersion version) {
    Random random = new Random(20261125);
    List<Frame> frames =
        new ArrayList<>(
            List.of(
                new OpenFrame(7, Destination.parse("dns.example:53"), 0),
                new DataFrame(7, 0, pattern(300)),
                new OpenFrame(8, Destination.parse("[2001:db8::1]:443"), 9),
                new CloseFrame(7, FlowCloseReason.IDLE),
                new SessionFrame(true)));
    if (version.hasReverseTunnels()) {
      frames.addAll(ReverseFramesTest.oneOfEach());
    }
    ByteBuf valid = encode(frames.toArray(Frame[]::new));
    byte[] template = new byte[valid.readableBytes()];
    valid.getBytes(0, template);
    int rejected = 0;
    for (int i = 0; i < 100_000; i++) {
      byte[] message = i % 2 == 0 ? randomMessage(random) : mutate(template, random);
      try {
        long payloadBytes = 0;
        for (Frame frame : FrameCodec.decode(Unpooled.wrappedBuffer(message), version)) {
          if (frame instanceof DataFrame data) {
            payloadBytes += data.payload().length;
          }
        }
        assertThat(payloadBytes).isLessThanOrEqualTo(message.length);
      } catch (ProtocolException expected) {
        rejected++;
      }
    }
    assertThat(rejected).isGreaterThan(50_000);
  }

  private static byte[] randomMessage(Random random) {
    byte[] message = new byte[1 + random.nextInt(96)];
    random.nextBytes(message);
    if (random.nextBoolean()) {
      message[0] = (byte) (1 + random.nextInt(8)); // a known type, to get past the first check
    }
    return message;
  }

  private static byte[] mutate(byte[] template, Random random) {
    byte[] message = template.clone();
    switch (random.nextInt(4)) {
      case 0 -> message[random.nextInt(message.length)] ^= (byte) (1 + random.nextInt(255));
      case 1 -> message = java.util.Arrays.copyOf(message, random.nextInt(message.length));
      case 2 -> {
        message = java.util.Arrays.copyOf(message, message.length + 1 + random.nextInt(16));
        message[message.length - 1] = (byte) random.nextInt();
      }
      default -> {
        for (int flips = 0; flips < 8; flips++) {
          message[random.nextInt(message.length)] = (byte) random.nextInt();
        }
      }
    }
    return message;
  }
}
