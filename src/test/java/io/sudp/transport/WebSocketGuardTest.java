package io.sudp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.sudp.ops.ProtocolViolation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The guard behind a real WebSocket frame decoder, fed the bytes a client would send: what it
 * passes on, what it answers, and which violations it reports.
 */
class WebSocketGuardTest {
  private static final int MAX = 128 * 1024;

  private final List<String> violations = new ArrayList<>();
  private final QueueBudget budget = QueueBudget.pool(400_000);
  private final List<ChannelPromise> heldWrites = new ArrayList<>();
  private final EmbeddedChannel server = new EmbeddedChannel();

  WebSocketGuardTest() {
    // Writes stay pending, as on a socket whose peer reads nothing.
    server
        .pipeline()
        .addLast(
            new ChannelOutboundHandlerAdapter() {
              @Override
              public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) {
                heldWrites.add(promise);
                ctx.write(message);
              }
            });
    // As a server's pipeline is after its upgrade: the encoder comes after the decoder.
    server
        .pipeline()
        .addLast(
            new WebSocket13FrameDecoder(
                WebSocketDecoderConfig.newBuilder()
                    .expectMaskedFrames(true)
                    .maxFramePayloadLength(MAX)
                    .closeOnProtocolViolation(false)
                    .build()));
    WebSocketGuard.install(server, MAX, budget, listener(violations));
    server.pipeline().addLast(new WebSocket13FrameEncoder(false));
  }

  @AfterEach
  void close() {
    server.finishAndReleaseAll();
  }

  private static WebSocketGuard.Listener listener(List<String> refusals) {
    return new WebSocketGuard.Listener() {
      @Override
      public void violated(ProtocolViolation violation, String detail) {
        refusals.add(violation.label() + ": " + detail);
      }

      @Override
      public void outOfMemory() {
        refusals.add("out of memory");
      }
    };
  }

  /** What a client sends: masked frames, as bytes. */
  private static ByteBuf fromClient(WebSocketFrame... frames) {
    EmbeddedChannel client = new EmbeddedChannel(new WebSocket13FrameEncoder(true));
    ByteBuf bytes = Unpooled.buffer();
    for (WebSocketFrame frame : frames) {
      client.writeOutbound(frame);
      ByteBuf part;
      while ((part = client.readOutbound()) != null) {
        bytes.writeBytes(part);
        part.release();
      }
    }
    client.finish();
    return bytes;
  }

  private List<WebSocketFrame> passedOn() {
    List<WebSocketFrame> frames = new ArrayList<>();
    Object frame;
    while ((frame = server.readInbound()) != null) {
      frames.add((WebSocketFrame) frame);
    }
    return frames;
  }

  private int pongsWritten() {
    int pongs = 0;
    Object written;
    while ((written = server.readOutbound()) != null) {
      pongs++;
      ((ByteBuf) written).release();
    }
    return pongs;
  }

  private static PingWebSocketFrame ping(int n) {
    return new PingWebSocketFrame(Unpooled.buffer().writeInt(n));
  }

  @Test
  void aPeerThatPingsWithoutReadingGetsOnePongAtATime() {
    for (int i = 0; i < 1000; i++) {
      server.writeInbound(fromClient(ping(i)));
    }
    assertThat(pongsWritten()).as("pongs queued for a peer that reads nothing").isEqualTo(1);
    assertThat(heldWrites).hasSize(1);

    heldWrites.get(0).setSuccess(); // the peer read it
    server.writeInbound(fromClient(ping(1000)));
    assertThat(pongsWritten()).isEqualTo(1);
    assertThat(passedOn()).as("pings are answered here, not passed on").isEmpty();
    assertThat(violations).isEmpty();
  }

  @Test
  void messagesWithinTheLimitPassWholeWhetherFragmentedOrNot() {
    server.writeInbound(
        fromClient(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[MAX]))));
    server.writeInbound(
        fromClient(
            new BinaryWebSocketFrame(false, 0, Unpooled.wrappedBuffer(new byte[MAX / 2])),
            new ContinuationWebSocketFrame(true, 0, Unpooled.wrappedBuffer(new byte[MAX / 2])),
            new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {7}))));
    server.writeInbound(fromClient(new PongWebSocketFrame(Unpooled.wrappedBuffer(new byte[2]))));

    List<WebSocketFrame> frames = passedOn();
    assertThat(frames)
        .extracting(frame -> frame.content().readableBytes())
        .containsExactly(MAX, MAX / 2, MAX / 2, 1, 2);
    frames.forEach(WebSocketFrame::release);
    assertThat(violations).isEmpty();
  }

  @Test
  void aFragmentedMessageOverTheLimitIsAViolationAndNothingFollowsIt() {
    server.writeInbound(
        fromClient(
            new BinaryWebSocketFrame(false, 0, Unpooled.wrappedBuffer(new byte[MAX - 10])),
            new ContinuationWebSocketFrame(false, 0, Unpooled.wrappedBuffer(new byte[11])),
            new ContinuationWebSocketFrame(true, 0, Unpooled.wrappedBuffer(new byte[1])),
            new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1})),
            new CloseWebSocketFrame(1000, "bye")));

    List<WebSocketFrame> frames = passedOn();
    assertThat(frames)
        .extracting(frame -> frame.getClass().getSimpleName())
        .containsExactly("BinaryWebSocketFrame", "CloseWebSocketFrame");
    frames.forEach(WebSocketFrame::release);
    assertThat(violations)
        .containsExactly("oversized_message: a fragmented message over " + MAX + " bytes");
  }

  @Test
  void aSingleFrameOverTheLimitIsRefusedFromItsHeader() {
    ByteBuf bytes = fromClient(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[MAX + 1])));
    server.writeInbound(bytes.readRetainedSlice(14)); // the header alone
    bytes.release();
    assertThat(violations).hasSize(1).first().asString().startsWith("oversized_message: ");
  }

  @Test
  void framingErrorsAndTextAreViolationsOfTheirOwn() {
    ByteBuf unmasked = Unpooled.buffer().writeByte(0x82).writeByte(1).writeByte(42);
    server.writeInbound(unmasked);
    assertThat(violations)
        .hasSize(1)
        .first()
        .asString()
        .startsWith("websocket: received a frame that is not masked");

    EmbeddedChannel other =
        new EmbeddedChannel(
            new WebSocket13FrameDecoder(
                WebSocketDecoderConfig.newBuilder()
                    .expectMaskedFrames(true)
                    .closeOnProtocolViolation(false)
                    .build()));
    List<String> seen = new ArrayList<>();
    WebSocketGuard.install(other, MAX, budget, listener(seen));
    other.writeInbound(fromClient(new TextWebSocketFrame("hello")));
    assertThat((Object) other.readInbound()).isNull();
    assertThat(seen).containsExactly("text_message: a text message");
    other.finishAndReleaseAll();
  }

  @Test
  void unfinishedMessagesHoldTheBudgetUntilTheyEndOrTheirConnectionDoes() {
    server.writeInbound(
        fromClient(
            new BinaryWebSocketFrame(false, 0, Unpooled.wrappedBuffer(new byte[60_000])),
            new ContinuationWebSocketFrame(false, 0, Unpooled.wrappedBuffer(new byte[60_000]))));
    assertThat(budget.pooled()).as("twice what is held").isEqualTo(240_000);
    server.writeInbound(
        fromClient(new ContinuationWebSocketFrame(true, 0, Unpooled.wrappedBuffer(new byte[1]))));
    assertThat(budget.pooled()).as("whole: given back").isZero();

    EmbeddedChannel other =
        new EmbeddedChannel(
            new WebSocket13FrameDecoder(
                WebSocketDecoderConfig.newBuilder()
                    .expectMaskedFrames(true)
                    .closeOnProtocolViolation(false)
                    .maxFramePayloadLength(MAX)
                    .build()));
    List<String> seen = new ArrayList<>();
    WebSocketGuard.install(other, MAX, budget, listener(seen));
    other.writeInbound(
        fromClient(new BinaryWebSocketFrame(false, 0, Unpooled.wrappedBuffer(new byte[100_000]))));
    server.writeInbound(
        fromClient(
            new BinaryWebSocketFrame(false, 0, Unpooled.wrappedBuffer(new byte[100_000])),
            new ContinuationWebSocketFrame(false, 0, Unpooled.wrappedBuffer(new byte[1]))));
    assertThat(violations).containsExactly("out of memory");
    assertThat(budget.pooled()).isEqualTo(400_000);
    other.finishAndReleaseAll(); // its connection closed
    assertThat(budget.pooled()).isEqualTo(200_000);
    passedOn().forEach(WebSocketFrame::release);
  }
}
