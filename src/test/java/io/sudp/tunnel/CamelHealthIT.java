package io.sudp.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.testing.Configs;
import io.sudp.testing.FreePorts;
import io.sudp.testing.RealProcess;
import io.sudp.testing.UdpEchoServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Camel's health checks and metrics on the management port of real processes of the packaged jar:
 * the client's readiness follows its server being killed and started again, with the reason, and
 * {@code /metrics} carries Camel's, the JVM's and SUDP's series side by side; Camel's per-route
 * series only where {@code -Dcamel.metrics.enableRoutePolicy=true} asks for them.
 */
class CamelHealthIT {
  private static final long KEEPALIVE_MILLIS = 1_000;

  @TempDir Path dir;

  private final List<RealProcess> processes = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private UdpEchoServer echo;
  private int wsPort;
  private int serverManagement;
  private int clientManagement;

  @BeforeEach
  void configure() throws Exception {
    echo = new UdpEchoServer();
    wsPort = FreePorts.tcp();
    serverManagement = FreePorts.tcp();
    clientManagement = FreePorts.tcp();
    Configs.write(
        dir,
        "server.yaml",
        """
        management:
          listen: 127.0.0.1:%d
        server:
          listen: 127.0.0.1:%d
          keepalive: %dms
          allow: ["%s"]
        """
            .formatted(serverManagement, wsPort, KEEPALIVE_MILLIS, echo.address()));
    Configs.write(
        dir,
        "client.yaml",
        """
        management:
          listen: 127.0.0.1:%d
        client:
          server: ws://127.0.0.1:%d/sudp
          keepalive: %dms
          tunnels:
            - name: echo
              listen: 127.0.0.1:%d
              destination: %s
        """
            .formatted(
                clientManagement, wsPort, KEEPALIVE_MILLIS, FreePorts.udp(), echo.address()));
  }

  @AfterEach
  void stopAll() throws Exception {
    for (RealProcess process : processes) {
      process.close();
    }
    echo.close();
  }

  private RealProcess start(String role, String... jvmOptions) throws Exception {
    RealProcess process =
        RealProcess.sudp(
            dir,
            role + processes.size(),
            List.of(jvmOptions),
            role,
            "-c",
            dir.resolve(role + ".yaml").toString());
    processes.add(process);
    return process;
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The readiness answer of the management port on {@code port}. */
  private JsonObject ready(int port) throws Exception {
    HttpResponse<String> response = get(port, "/health/ready");
    JsonObject body = new JsonObject(response.body());
    assertThat(response.statusCode()).isEqualTo(body.getString("state").equals("UP") ? 200 : 503);
    return body;
  }

  private static JsonObject tunnelCheck(JsonObject health) {
    JsonArray checks = health.getJsonArray("checks");
    for (int i = 0; i < checks.size(); i++) {
      if (checks.getJsonObject(i).getString("id").equals("sudp-tunnel")) {
        return checks.getJsonObject(i);
      }
    }
    return null;
  }

  @Test
  void readinessIsDownWithTheReasonWithinTwoKeepalivesOfTheServerDyingAndUpWhenItIsBack()
      throws Exception {
    RealProcess server = start("server");
    RealProcess client = start("client");
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions() // refused until the ports listen
        .until(
            () ->
                ready(clientManagement).getString("state").equals("UP")
                    && ready(serverManagement).getString("state").equals("UP"));
    assertThat(tunnelCheck(ready(serverManagement))).isNotNull();
    assertThat(tunnelCheck(ready(clientManagement)).getString("state")).isEqualTo("UP");
    assertThat(get(clientManagement, "/health/live").statusCode()).isEqualTo(200);

    server.kill();
    long killed = System.nanoTime();
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> ready(clientManagement).getString("state").equals("DOWN"));
    long downAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);

    JsonObject down = tunnelCheck(ready(clientManagement));
    assertThat(downAfterMillis)
        .as("ms from the server killed to readiness DOWN; client:%n%s", client.output())
        .isLessThan(2 * KEEPALIVE_MILLIS);
    assertThat(down.getString("state")).isEqualTo("DOWN");
    assertThat(down.getString("message"))
        .startsWith("not connected to ws://127.0.0.1:" + wsPort + "/sudp since ");
    JsonObject details = down.getJsonObject("details");
    assertThat(details.getString("server")).isEqualTo("ws://127.0.0.1:" + wsPort + "/sudp");
    assertThat(details.getString("since")).isNotBlank();
    assertThat(details.getString("error")).isNotBlank();
    assertThat(get(clientManagement, "/health/live").statusCode())
        .as("a lost server is no reason to restart the client")
        .isEqualTo(200);

    start("server");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> ready(clientManagement).getString("state").equals("UP"));
    assertThat(tunnelCheck(ready(clientManagement)).getString("state")).isEqualTo("UP");
  }

  @Test
  void metricsCarryCamelJvmAndSudpSeries() throws Exception {
    start("server");
    start("client", "-Dcamel.metrics.enableRoutePolicy=true");
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> ready(clientManagement).getString("state").equals("UP"));

    assertThat(get(serverManagement, "/metrics").body())
        .as("the per-route timer is off unless asked for")
        .containsPattern("(?m)^camel_routes_running_routes")
        .doesNotContain("camel_exchanges_total");
    String metrics = get(clientManagement, "/metrics").body();

    assertThat(metrics)
        .as("-Dcamel.metrics.enableRoutePolicy=true brings the per-route series back")
        .containsPattern("(?m)^camel_exchanges_total\\{.*routeId=\"sudp-client-echo\"")
        .containsPattern("(?m)^camel_routes_running_routes")
        .containsPattern("(?m)^jvm_memory_used_bytes\\{")
        .containsPattern("(?m)^jvm_gc_")
        .containsPattern("(?m)^jvm_threads_live_threads")
        .containsPattern("(?m)^jvm_classes_loaded_classes")
        .containsPattern("(?m)^process_cpu_usage")
        .containsPattern("(?m)^process_uptime_seconds")
        .containsPattern("(?m)^sudp_connected\\{.*\\} 1\\.0")
        .containsPattern("(?m)^sudp_datagrams_total\\{")
        .containsPattern("(?m)^sudp_tunnel_flows\\{");
  }
}
