package io.sudp.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.process.LogSetup;
import io.sudp.runtime.Role;
import io.sudp.runtime.TunnelRuntime;
import io.sudp.testing.FreePorts;
import io.sudp.testing.Runtimes;
import io.sudp.testing.UdpApp;
import io.sudp.testing.UdpEchoServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The management port: Prometheus metrics that move with traffic, health that tracks the server.
 */
class ManagementTest {
  @TempDir Path dir;

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void metricsCountTrafficAndReadinessFollowsTheServerConnection() throws Exception {
    int ws = FreePorts.tcp();
    int tunnelPort = FreePorts.udp();
    try (UdpEchoServer echo = new UdpEchoServer()) {
      TunnelRuntime server = Runtimes.server(dir, ws, echo.address()); // replaced when restarted
      try (TunnelRuntime client =
              Runtimes.start(
                  Role.CLIENT,
                  dir,
                  "client.yaml",
                  """
              management:
                listen: 127.0.0.1:0
              client:
                server: ws://127.0.0.1:%d/sudp
                tunnels:
                  - {name: echo, listen: "127.0.0.1:%d", destination: "%s"}
              """
                      .formatted(ws, tunnelPort, echo.address()));
          UdpApp app = new UdpApp(tunnelPort)) {
        int management = client.managementPort();
        await().until(() -> get(management, "/health/ready").statusCode() == 200);
        for (int i = 0; i < 3; i++) { // each sent once: the counts below are exact
          assertThat(app.sendOnceAndAwaitEcho(new byte[] {(byte) i})).containsExactly(i);
        }

        String metrics = get(management, "/metrics").body();
        assertThat(metrics)
            .contains("sudp_datagrams_total{direction=\"upstream\",role=\"client\"} 3.0")
            .contains("sudp_datagrams_total{direction=\"downstream\",role=\"client\"} 3.0")
            .contains("sudp_drops_total{cause=\"queue_full\",role=\"client\"} 0.0")
            .contains("sudp_connected{role=\"client\"} 1.0")
            .contains(
                "sudp_tunnel_datagrams_total{direction=\"upstream\",role=\"client\","
                    + "tunnel=\"echo\"} 3.0")
            .contains("sudp_tunnel_flows{role=\"client\",tunnel=\"echo\"} 1.0")
            .contains("sudp_reconnects_total{role=\"client\"} 0.0")
            .contains("\nsudp_log_lines_lost_total " + (double) LogSetup.lostLines().count());
        assertThat(get(management, "/health/live").statusCode()).isEqualTo(200);
        assertThat(get(management, "/status").body()).contains("client: connected");

        server.close();
        await().until(() -> get(management, "/health/ready").statusCode() == 503);
        assertThat(get(management, "/metrics").body())
            .contains("sudp_connected{role=\"client\"} 0.0");

        // Counts read from long-lived objects: a garbage collection does not freeze them.
        System.gc();
        server = Runtimes.server(dir, ws, echo.address());
        await()
            .atMost(Duration.ofSeconds(30)) // a reconnect, after backing off
            .until(() -> get(management, "/health/ready").statusCode() == 200);
        System.gc();
        assertThat(get(management, "/metrics").body())
            .contains("sudp_reconnects_total{role=\"client\"} 1.0")
            .contains("sudp_connect_failures_total{cause=\"proxy\",role=\"client\"} 0.0")
            .doesNotContain("sudp_connect_failures_total{cause=\"network\",role=\"client\"} 0.0");
      } finally {
        server.close();
      }
    }
  }
}
