package io.sudp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import org.junit.jupiter.api.Test;

/** The first close frame decides who closed; a peer's reason reaches the log tamed. */
class CloseWitnessTest {
  private final EmbeddedChannel channel = new EmbeddedChannel();
  private final CloseWitness witness;

  CloseWitnessTest() {
    channel.pipeline().addLast("handler", new ChannelInboundHandlerAdapter());
    witness = CloseWitness.install(channel);
  }

  @Test
  void theFirstCloseFrameDecides() {
    channel.writeOutbound(new CloseWebSocketFrame(1001, "keepalive timeout"));
    channel.writeInbound(new CloseWebSocketFrame(1001, "keepalive timeout")); // the echo
    assertThat(witness.describe("server", "client"))
        .isEqualTo("closed by this server (1001 keepalive timeout)");
    assertThat(witness.closedHere()).isTrue();
  }

  @Test
  void aPeersReasonIsPrintableAndShort() {
    channel.writeInbound(
        new CloseWebSocketFrame(1000, "bye\n12:00:00 INFO forged line\u00e9" + "x".repeat(200)));
    channel.writeOutbound(new CloseWebSocketFrame(1000, "echo"));
    String said = witness.describe("client", "server");
    assertThat(said)
        .startsWith("closed by the server (1000 bye?12:00:00 INFO forged line?x")
        .doesNotContain("\n")
        .hasSize("closed by the server (1000 ".length() + CloseWitness.MAX_REASON + 1);
    assertThat(witness.closedHere()).isFalse();
  }

  @Test
  void noCloseFrameMeansLostAndAnEmptyOneHasNoCode() {
    assertThat(witness.describe("client", "server")).isEqualTo("lost without a close frame");
    channel.writeInbound(new CloseWebSocketFrame());
    assertThat(witness.describe("client", "server"))
        .isEqualTo("closed by the server without a close code");
  }
}
