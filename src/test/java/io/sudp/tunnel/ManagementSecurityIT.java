package io.sudp.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.testing.Configs;
import io.sudp.testing.FreePorts;
import io.sudp.testing.RawHttp;
import io.sudp.testing.RealProcess;
import io.sudp.testing.UdpApp;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The management port of a real process, tried as a web page in a browser on the same host and as a
 * careless script would try it: nothing changes unless the operator opened it, and then only by
 * POST, without an Origin, naming the port by address.
 */
class ManagementSecurityIT {
  private static final String TOKEN = "operator-token-0123456789";

  /** The same operation asked for by GET, which only ever reads. */
  private static final String STOP_ROUTE_BY_GET =
      "/jolokia/exec/org.apache.camel:context=sudp,type=routes,name=%22sudp-client-echo%22/stop()";

  private static final String STOP_ROUTE =
      "{\"type\":\"exec\",\"mbean\":\"org.apache.camel:context=sudp,type=routes,"
          + "name=\\\"sudp-client-echo\\\"\",\"operation\":\"stop()\"}";

  @TempDir Path dir;

  private RealProcess process;
  private int management;
  private int tunnel;

  @AfterEach
  void stop() throws Exception {
    if (process != null) {
      process.close();
    }
  }

  private void start(String managementSettings) throws Exception {
    int ws = FreePorts.tcp();
    tunnel = FreePorts.udp();
    management = FreePorts.tcp();
    Files.writeString(dir.resolve("tokens"), "operator " + TOKEN + "\n");
    Path config =
        Configs.write(
            dir,
            "sudp.yaml",
            Configs.loopbackTunnel(ws, tunnel, FreePorts.udp())
                + """
        management:
          listen: 127.0.0.1:%d
        %s"""
                    .formatted(management, managementSettings.indent(2)));
    process = RealProcess.sudp(dir, "sudp", "run", "-c", config.toString());
    try (UdpApp app = new UdpApp(tunnel)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> app.roundTrip(new byte[] {1}) != null);
    }
  }

  /** An HTTP exchange written by hand: the status line and the body. */
  private String http(String method, String path, List<String> headers, String body)
      throws IOException {
    return RawHttp.exchange(management, method, path, headers, body);
  }

  private boolean tunnelWorks() throws IOException {
    try (UdpApp app = new UdpApp(tunnel)) {
      return app.roundTrip(new byte[] {7}) != null;
    }
  }

  private static int jolokiaStatus(String answer) {
    return new JsonObject(answer.substring(answer.indexOf('\n') + 1)).getInteger("status");
  }

  @Test
  void aWebPageCannotDriveItAndNothingChangesUnlessConfigured() throws Exception {
    start("");
    String origin = "Origin: http://evil.example";
    assertThat(http("POST", "/jolokia", List.of(origin), STOP_ROUTE)).startsWith("HTTP/1.1 403");
    assertThat(http("POST", "/debug/on", List.of(origin), "")).startsWith("HTTP/1.1 403");
    assertThat(http("GET", "/status.json", List.of("Host: rebound.example:" + management), ""))
        .as("a name rebound to 127.0.0.1")
        .startsWith("HTTP/1.1 403");

    // No operation is open by default, by POST or GET; the JVM's never are.
    assertThat(jolokiaStatus(http("POST", "/jolokia", List.of(), STOP_ROUTE))).isEqualTo(403);
    assertThat(jolokiaStatus(http("GET", STOP_ROUTE_BY_GET, List.of(), ""))).isEqualTo(403);
    assertThat(tunnelWorks()).as("the tunnel still carries traffic").isTrue();
    assertThat(process.output()).doesNotContain("debug logging switched on");

    // Reading is open: what Hawtio and operators look at.
    assertThat(
            jolokiaStatus(
                http("GET", "/jolokia/read/java.lang:type=Runtime/Uptime", List.of(), "")))
        .isEqualTo(200);

    // A request that cannot be decoded is answered, not left hanging.
    assertThat(http("GET", "/jolokia/read/java.lang:type=Runtime/Up%ZZ", List.of(), ""))
        .startsWith("HTTP/1.1 400");
    assertThat(http("GET", "/jolokia?p=%zz", List.of(), "")).startsWith("HTTP/1.1 400");
    assertThat(http("GET", "/metrics", List.of(), "")).startsWith("HTTP/1.1 200");
  }

  @Test
  void openedOperationsAreCamelsAndSudpsByPostOnlyNeverTheJvms() throws Exception {
    start("jolokia-operations: [org.apache.camel, io.sudp]");
    Path dump = dir.resolve("heap.hprof");
    assertThat(
            jolokiaStatus(
                http(
                    "POST",
                    "/jolokia",
                    List.of(),
                    "{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=HotSpotDiagnostic\","
                        + "\"operation\":\"dumpHeap\",\"arguments\":[\""
                        + dump
                        + "\",true]}")))
        .isEqualTo(403);
    assertThat(
            jolokiaStatus(
                http(
                    "POST",
                    "/jolokia",
                    List.of(),
                    "{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=DiagnosticCommand\","
                        + "\"operation\":\"vmVersion\"}")))
        .isNotEqualTo(200);
    assertThat(dump).doesNotExist();
    assertThat(jolokiaStatus(http("GET", STOP_ROUTE_BY_GET, List.of(), "")))
        .as("a GET only reads")
        .isEqualTo(403);
    assertThat(tunnelWorks()).isTrue();

    assertThat(jolokiaStatus(http("POST", "/jolokia", List.of(), STOP_ROUTE))).isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).until(() -> !tunnelWorks());
  }

  @Test
  void withALoginOnlyHealthIsAnsweredWithoutCredentials() throws Exception {
    start("auth:\n  tokens-file: tokens"); // beside the configuration, not in the working directory
    assertThat(http("GET", "/status.json", List.of(), "")).startsWith("HTTP/1.1 401");
    assertThat(http("GET", "/health/live", List.of(), "")).startsWith("HTTP/1.1 200");
    assertThat(http("GET", "/status.json", List.of("Authorization: Bearer " + TOKEN), ""))
        .startsWith("HTTP/1.1 200");

    RealProcess status =
        RealProcess.sudp(dir, "status", "status", "-c", dir.resolve("sudp.yaml").toString());
    assertThat(status.awaitExit()).as(status.output()).isZero();
    assertThat(status.output()).contains("connected");
    assertThat(process.output()).doesNotContain(TOKEN);
  }
}
