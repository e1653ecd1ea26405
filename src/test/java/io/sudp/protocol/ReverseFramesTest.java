package io.sudp.protocol;

import static io.sudp.protocol.FrameCodecTest.encode;
import static io.sudp.protocol.FrameCodecTest.pattern;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The frames of version 2 (reverse tunnels) on the wire, and version negotiation's choice. */
class ReverseFramesTest {
  private static final int REVERSE_FLOW = Limits.REVERSE_FLOW_BIT | 5;

  static List<Frame> oneOfEach() {
    return List.of(
        new ListenFrame(1, null, 5353),
        new ListenFrame(2, "192.0.2.7", 51_820),
        new ListenFrame(3, "2001:db8::7", 65_535),
        new ListenResultFrame(1, ListenResult.LISTENING, 5353),
        new ListenResultFrame(2, ListenResult.IN_USE, 0),
        new AcceptFrame(REVERSE_FLOW, 1, Destination.parse("198.51.100.9:40000"), 0),
        new AcceptFrame(REVERSE_FLOW + 1, 3, Destination.parse("[2001:db8::9]:1"), -1),
        new DataFrame(REVERSE_FLOW, 0, pattern(1400)),
        new CloseFrame(REVERSE_FLOW, FlowCloseReason.UNKNOWN_LISTENER),
        new UnlistenFrame(2));
  }

  @Test
  void everyFrameOfVersionTwoRoundTrips() throws Exception {
    List<Frame> sent = oneOfEach();

    List<Frame> received =
        FrameCodec.decode(encode(sent.toArray(Frame[]::new)), ProtocolVersion.V2);

    assertThat(received).hasSize(sent.size());
    for (int i = 0; i < sent.size(); i++) {
      if (sent.get(i) instanceof DataFrame data) {
        assertThat(((DataFrame) received.get(i)).payload()).isEqualTo(data.payload());
      } else {
        assertThat(received.get(i)).isEqualTo(sent.get(i));
      }
    }
  }

  @Test
  void aVersionTwoFrameOnAVersionOneConnectionIsAnError() {
    for (Frame frame : oneOfEach()) {
      if (frame instanceof DataFrame || frame instanceof CloseFrame) {
        continue;
      }
      assertThatThrownBy(() -> FrameCodec.decode(encode(frame), ProtocolVersion.V1))
          .as("%s", frame)
          .isInstanceOf(ProtocolException.class)
          .hasMessageContaining("unknown frame type")
          .hasMessageContaining("sudp.v1");
    }
  }

  @Test
  void everyTruncationIsRejected() {
    for (Frame frame : oneOfEach()) {
      ByteBuf whole = encode(frame);
      for (int length = 1; length < whole.readableBytes(); length++) {
        ByteBuf cut = whole.slice(0, length);
        assertThatThrownBy(() -> FrameCodec.decode(cut, ProtocolVersion.V2))
            .as("%s cut at %d", frame, length)
            .isInstanceOf(ProtocolException.class);
      }
    }
  }

  @Test
  void idsKeepToTheirHalves() throws Exception {
    ByteBuf clientOpenInServerHalf =
        encode(new OpenFrame(REVERSE_FLOW, Destination.parse("127.0.0.1:53"), 0));
    ByteBuf acceptInClientHalf =
        encode(new AcceptFrame(REVERSE_FLOW, 1, Destination.parse("127.0.0.1:53"), 0));
    acceptInClientHalf.setInt(1, 5);
    ByteBuf listenInServerHalf = encode(new ListenFrame(REVERSE_FLOW, null, 53));

    assertThatThrownBy(() -> FrameCodec.decode(clientOpenInServerHalf, ProtocolVersion.V2))
        .hasMessageContaining("top bit clear");
    assertThatThrownBy(() -> FrameCodec.decode(acceptInClientHalf, ProtocolVersion.V2))
        .hasMessageContaining("top bit set");
    assertThatThrownBy(() -> FrameCodec.decode(listenInServerHalf, ProtocolVersion.V2))
        .hasMessageContaining("top bit clear");
    // Version 1 keeps its rules: any id but 0 for the client's flows.
    ByteBuf v1Open = encode(new OpenFrame(REVERSE_FLOW, Destination.parse("127.0.0.1:53"), 0));
    assertThat(FrameCodec.decode(v1Open, ProtocolVersion.V1)).hasSize(1);
  }

  @Test
  void addressesMustBeLiteralsAndPortsReal() {
    ByteBuf listenOnAName = Unpooled.buffer();
    listenOnAName.writeByte(FrameType.LISTEN.code()).writeInt(1);
    listenOnAName.writeByte(3).writeByte(4).writeBytes("host".getBytes()).writeShort(53);
    ByteBuf acceptFromAName = Unpooled.buffer();
    acceptFromAName.writeByte(FrameType.ACCEPT.code()).writeInt(REVERSE_FLOW).writeInt(1);
    acceptFromAName.writeByte(3).writeByte(4).writeBytes("host".getBytes()).writeShort(53);
    acceptFromAName.writeInt(0);
    ByteBuf listenPortZero = Unpooled.buffer();
    listenPortZero.writeByte(FrameType.LISTEN.code()).writeInt(1).writeByte(0).writeShort(0);
    ByteBuf acceptListenIdZero = Unpooled.buffer();
    acceptListenIdZero.writeByte(FrameType.ACCEPT.code()).writeInt(REVERSE_FLOW).writeInt(0);
    acceptListenIdZero.writeByte(4).writeInt(0x7f000001).writeShort(53).writeInt(0);
    ByteBuf unlistenWithABody = encode(new UnlistenFrame(1));
    unlistenWithABody.writeByte(0);

    for (ByteBuf bad :
        List.of(
            listenOnAName,
            acceptFromAName,
            listenPortZero,
            acceptListenIdZero,
            unlistenWithABody)) {
      assertThatThrownBy(() -> FrameCodec.decode(bad, ProtocolVersion.V2))
          .isInstanceOf(ProtocolException.class);
    }
    assertThatThrownBy(() -> new ListenFrame(1, "example.org", 53))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AcceptFrame(REVERSE_FLOW, 1, Destination.parse("a.b:1"), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(ints = {6, 7, 255})
  void anUnknownListenResultFromANewerServerIsARefusal(int code) throws Exception {
    ByteBuf message = Unpooled.buffer();
    message.writeByte(FrameType.LISTEN_RESULT.code()).writeInt(1).writeByte(code).writeShort(0);

    assertThat(FrameCodec.decode(message, ProtocolVersion.V2))
        .containsExactly(new ListenResultFrame(1, ListenResult.NOT_ALLOWED, 0));
  }

  @Test
  void theServerPicksTheHighestVersionOfferedWhateverTheOrder() {
    assertThat(ProtocolVersion.highestOffered("sudp.v2, sudp.v1")).isEqualTo(ProtocolVersion.V2);
    assertThat(ProtocolVersion.highestOffered("sudp.v1,sudp.v2")).isEqualTo(ProtocolVersion.V2);
    assertThat(ProtocolVersion.highestOffered("sudp.v1")).isEqualTo(ProtocolVersion.V1);
    assertThat(ProtocolVersion.highestOffered("sudp.v9, sudp.v1")).isEqualTo(ProtocolVersion.V1);
    assertThat(ProtocolVersion.highestOffered("chat, superchat")).isNull();
    assertThat(ProtocolVersion.highestOffered(null)).isNull();
    assertThat(ProtocolVersion.OFFERED).containsExactly("sudp.v2", "sudp.v1");
  }
}
