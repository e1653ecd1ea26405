package io.sudp.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.runtime.Role;
import io.sudp.runtime.TunnelRuntime;
import io.sudp.testing.FreePorts;
import io.sudp.testing.RawUpgrade;
import io.sudp.testing.Runtimes;
import io.sudp.transport.WsServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connections that resume one session as fast as they can, each replacing the one before while
 * it may still be being set up: the server's books stay right, and a client that comes later
 * gets in.
 */
class ResumeStormTest {
  private static final String SESSION = "0123456789abcdef0123456789abcdef";

  @TempDir Path dir;

  @Test
  void connectionsReplacingEachOtherLeaveNothingBehind() throws Exception {
    int ws = FreePorts.tcp();
    try (TunnelRuntime server = Runtimes.start(Role.SERVER, dir, "server.yaml", """
        server:
          listen: 127.0.0.1:%d
          max-connections: 4
        """.formatted(ws))) {
      WsServer socket = server.server().socket();
      URI uri = URI.create("ws://127.0.0.1:" + ws + "/sudp");
      List<Thread> storm = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        Thread thread = new Thread(() -> {
          HttpClient http = HttpClient.newHttpClient();
          for (int i = 0; i < 100; i++) {
            try {
              http.newWebSocketBuilder().subprotocols("sudp.v1").header("Sudp-Session", SESSION)
                  .buildAsync(uri, new WebSocket.Listener() {}).get(10, TimeUnit.SECONDS);
            } catch (Exception refusedOrReplaced) {
              // part of the storm
            }
          }
        });
        thread.start();
        storm.add(thread);
      }
      for (Thread thread : storm) {
        thread.join(120_000);
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> socket.connectionCount() <= 1);
      assertThat(socket.sessionCount()).isEqualTo(1);

      assertThat(RawUpgrade.status(HttpClient.newHttpClient(), uri.toString(), null))
          .as("a client that comes after the storm").isEqualTo(101);
    }
  }
}
