package io.sudp.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.runtime.Role;
import io.sudp.runtime.TunnelParts;
import io.sudp.runtime.TunnelRuntime;
import io.sudp.testing.CapturedLog;
import io.sudp.testing.FreePorts;
import io.sudp.testing.Runtimes;
import io.sudp.testing.SteadyRoundTrips;
import io.sudp.testing.UdpApp;
import io.sudp.testing.UdpEchoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Instance files and Camel route files added, changed, removed and broken while the client runs,
 * with a steady stream on an untouched instance that must not lose a single round trip.
 */
class HotReloadTest {
  @TempDir Path dir;

  private static String instance(int port, String destination) {
    return "listen: 127.0.0.1:%d\ndestination: %s\n".formatted(port, destination);
  }

  private static String routeFile(String routeId, int port, String destination) {
    return """
        - templatedRoute:
            routeTemplateRef: sudp-client-tunnel
            routeId: %s
            parameters:
              - name: listen
                value: "127.0.0.1:%d"
              - name: destination
                value: "%s"
              - name: idleTimeout
                value: 30s
        """
        .formatted(routeId, port, destination);
  }

  /** A client of the server on {@code ws} whose tunnels are the files of {@code instancesDir}. */
  private TunnelRuntime client(int ws, String instancesDir) throws Exception {
    return Runtimes.start(
        Role.CLIENT,
        dir,
        "client.yaml",
        "client:\n  server: ws://127.0.0.1:%d/sudp\n  instances-dir: %s\n"
            .formatted(ws, instancesDir));
  }

  private static boolean answers(int port) throws Exception {
    try (UdpApp app = new UdpApp(port)) {
      return app.roundTrip(new byte[] {42}) != null;
    }
  }

  @Test
  void editsApplyWithinSecondsAndUntouchedInstancesKeepTheirFlows() throws Exception {
    CapturedLog log = CapturedLog.of(TunnelParts.class);
    int ws = FreePorts.tcp();
    int untouched = FreePorts.udp();
    int changing = FreePorts.udp();
    int moved = FreePorts.udp();
    int added = FreePorts.udp();
    Path instances = Files.createDirectories(dir.resolve("instances.d"));
    try (UdpEchoServer echo = new UdpEchoServer();
        TunnelRuntime server = Runtimes.server(dir, ws, echo.address())) {
      Files.writeString(instances.resolve("steady.yaml"), instance(untouched, echo.address()));
      Files.writeString(instances.resolve("changing.yaml"), instance(changing, echo.address()));
      try (TunnelRuntime client = client(ws, "instances.d");
          SteadyRoundTrips steady = new SteadyRoundTrips(untouched)) {
        await().until(() -> steady.answered() > 5);
        Duration within = Duration.ofSeconds(10);

        Files.writeString(instances.resolve("added.yaml"), instance(added, echo.address()));
        await().atMost(within).until(() -> answers(added));

        Files.writeString(instances.resolve("changing.yaml"), instance(moved, echo.address()));
        await().atMost(within).until(() -> answers(moved));
        assertThat(answers(changing)).as("the old port of a changed instance").isFalse();

        Files.delete(instances.resolve("added.yaml"));
        await().atMost(within).until(() -> !answers(added));

        Files.writeString(instances.resolve("changing.yaml"), "listen: nowhere\n");
        await().atMost(within).until(() -> log.contains("changing.yaml:1: listen: 'nowhere'"));
        assertThat(answers(moved)).as("the running instance, after a bad edit").isTrue();

        long before = steady.answered();
        await().until(() -> steady.answered() > before + 5);
        assertThat(steady.missing()).as("round trips lost on the untouched instance").isZero();
      }
    } finally {
      log.close();
    }
  }

  @Test
  void routeFilesAreTunnelsAddedEditedRemovedAndRefusedLive() throws Exception {
    CapturedLog log = CapturedLog.of(TunnelParts.class);
    int ws = FreePorts.tcp();
    int untouched = FreePorts.udp();
    int dns = FreePorts.udp();
    Path instances = Files.createDirectories(dir.resolve("routes.d"));
    try (UdpEchoServer echo = new UdpEchoServer();
        UdpEchoServer other = new UdpEchoServer();
        TunnelRuntime server = Runtimes.server(dir, ws, "127.0.0.1:1-65535")) {
      Files.writeString(instances.resolve("steady.yaml"), instance(untouched, echo.address()));
      try (TunnelRuntime client = client(ws, "routes.d");
          SteadyRoundTrips steady = new SteadyRoundTrips(untouched)) {
        await().until(() -> steady.answered() > 5);
        Duration within = Duration.ofSeconds(10);
        Path file = instances.resolve("dns.camel.yaml");

        Files.writeString(file, routeFile("dns", dns, echo.address()));
        await().atMost(within).until(() -> answers(dns));
        assertThat(client.camelContext().getRoute("dns"))
            .as("the route id of the file")
            .isNotNull();

        long reachedOther = other.received();
        Files.writeString(file, routeFile("dns", dns, other.address()));
        await().atMost(within).until(() -> answers(dns) && other.received() > reachedOther);

        Files.writeString(file, routeFile("dns", dns, "nowhere"));
        await()
            .atMost(within)
            .until(() -> log.contains("dns.camel.yaml:7: dns.destination: 'nowhere'"));
        assertThat(answers(dns)).as("the running route, after a bad edit").isTrue();

        Files.delete(file);
        await().atMost(within).until(() -> client.camelContext().getRoute("dns") == null);
        assertThat(answers(dns)).as("a deleted route's port").isFalse();

        long before = steady.answered();
        await().until(() -> steady.answered() > before + 5);
        assertThat(steady.missing()).as("round trips lost on the untouched instance").isZero();
      }
    } finally {
      log.close();
    }
  }
}
