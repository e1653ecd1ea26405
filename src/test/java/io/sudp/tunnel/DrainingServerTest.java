package io.sudp.tunnel;

import static io.sudp.testing.UnderAttack.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.ops.Refusal;
import io.sudp.protocol.DataFrame;
import io.sudp.protocol.Destination;
import io.sudp.protocol.OpenFrame;
import io.sudp.runtime.TunnelRuntime;
import io.sudp.testing.FreePorts;
import io.sudp.testing.RawWebSocket;
import io.sudp.testing.Runtimes;
import io.sudp.testing.UdpEchoServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server shutting down while replies still wait for a client that does not read: for as long as
 * its drain lasts, a new upgrade gets 503 (which a load balancer in front passes to another
 * server), not a session that would be closed moments later.
 */
class DrainingServerTest {
  @TempDir Path dir;

  @Test
  void whileItsDrainLastsANewUpgradeGets503() throws Exception {
    int ws = FreePorts.tcp();
    try (UdpEchoServer echo = new UdpEchoServer()) {
      TunnelRuntime server =
          Runtimes.server(
              dir,
              """
              listen: 127.0.0.1:%d
              allow: ["%s"]
              drain-timeout: 3s
              """
                  .formatted(ws, echo.address()));
      CompletableFuture<Void> closed = null;
      try (RawWebSocket stalled = RawWebSocket.connect(ws, "/sudp", 4096)) {
        // Echoed replies to a client that reads nothing fill the TCP buffers, then its queue.
        Destination destination = Destination.parse(echo.address());
        stalled.binary(message(new OpenFrame(1, destination, 0)));
        for (int i = 0; i < 400; i++) {
          stalled.binary(message(new DataFrame(1, i, new byte[30_000])));
        }
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> server.server().socket().queueDepth() > 0);

        closed = CompletableFuture.runAsync(server::close);
        // Until the shutdown reaches the WebSocket server, upgrades still succeed.
        int status = 101;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (status == 101 && !closed.isDone() && System.nanoTime() < deadline) {
          status = upgrade(ws);
        }
        assertThat(status).as("an upgrade during the drain").isEqualTo(503);
        assertThat(closed).as("the drain still waiting for the stalled client").isNotDone();
        assertThat(server.server().counters().refusals(Refusal.SHUTTING_DOWN)).isPositive();
      } finally {
        if (closed == null) {
          server.close();
        } else {
          closed.get(60, TimeUnit.SECONDS);
        }
      }
    }
  }

  /** The status of one upgrade; -1 once nothing listens any more. */
  private static int upgrade(int port) {
    try {
      RawWebSocket.Upgrade upgrade = RawWebSocket.attempt("127.0.0.1", port, "/sudp", 0, Map.of());
      if (upgrade.socket() != null) {
        upgrade.socket().close();
      }
      return upgrade.status();
    } catch (IOException refused) {
      return -1;
    }
  }
}
