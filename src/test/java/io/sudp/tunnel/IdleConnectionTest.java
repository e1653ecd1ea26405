package io.sudp.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.runtime.Role;
import io.sudp.runtime.TunnelRuntime;
import io.sudp.testing.FreePorts;
import io.sudp.testing.Runtimes;
import io.sudp.transport.WsClient;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A connection that carries nothing is kept alive by pings and their pongs, both ways. */
class IdleConnectionTest {
  @TempDir Path dir;

  /**
   * A second between pings: two intervals of silence end a connection, and a loaded machine may
   * pause the runtimes for a good part of a shorter silence. Six seconds are still six intervals,
   * three times the silence that ends a connection.
   */
  @Test
  void anIdleConnectionStaysUpThroughManyKeepaliveIntervals() throws Exception {
    int ws = FreePorts.tcp();
    try (TunnelRuntime server =
            Runtimes.start(
                Role.SERVER,
                dir,
                "server.yaml",
                """
            server:
              listen: 127.0.0.1:%d
              keepalive: 1s
            """
                    .formatted(ws));
        TunnelRuntime client =
            Runtimes.start(
                Role.CLIENT,
                dir,
                "client.yaml",
                """
            client:
              server: ws://127.0.0.1:%d/sudp
              keepalive: 1s
              tunnels:
                - {name: idle, listen: "127.0.0.1:%d", destination: "127.0.0.1:9"}
            """
                    .formatted(ws, FreePorts.udp()))) {
      WsClient socket = client.client().socket();
      await().until(socket::isConnected);
      await().until(() -> socket.keepaliveRttMicros() >= 0); // the server answered a ping

      await()
          .during(Duration.ofSeconds(6))
          .atMost(Duration.ofSeconds(30)) // a reconnect is counted for good: only a pass is quick
          .until(() -> socket.isConnected() && socket.reconnects() == 0);
      assertThat(server.server().socket().connectionCount()).isEqualTo(1);
    }
  }
}
