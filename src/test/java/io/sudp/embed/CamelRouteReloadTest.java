package io.sudp.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.runtime.TunnelRuntime;
import io.sudp.testing.CapturedLog;
import io.sudp.testing.Configs;
import io.sudp.testing.FreePorts;
import io.sudp.testing.Runtimes;
import io.sudp.testing.SteadyRoundTrips;
import io.sudp.testing.UdpApp;
import io.sudp.testing.UdpEchoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Camel's own route reload ({@code camel.main.routes-reload-enabled}) in an application whose
 * tunnels are templated routes in its route files: editing, adding and deleting a tunnel's file
 * changes that tunnel while another streams untouched, a bad edit is reported with file and line
 * and changes nothing, and the application's other routes reload as Camel reloads them. As Camel
 * ships it, the first change removed every route of the context, the tunnels with them.
 */
class CamelRouteReloadTest {
  @TempDir Path dir;

  private static String greeting(String text) {
    return """
        - route:
            id: greeting
            from:
              uri: direct:greeting
              steps:
                - setBody:
                    constant: "%s"
        """
        .formatted(text);
  }

  /**
   * A directory no route pattern loads, as with SUDP's own jar and only the two reload settings:
   * its tunnel files start with the application.
   */
  @Test
  void theWatchedDirectorysTunnelsStartWithTheApplication() throws Exception {
    watchedDirectory(true);
  }

  /** The usual start: an empty directory, then the first file; its tunnel works. */
  @Test
  void theFirstFileAddedToAnEmptyDirectoryIsATunnel() throws Exception {
    watchedDirectory(false);
  }

  private void watchedDirectory(boolean fileAtStart) throws Exception {
    int ws = FreePorts.tcp();
    int port = FreePorts.udp();
    Path routes = Files.createDirectories(dir.resolve("watched"));
    try (UdpEchoServer echo = new UdpEchoServer();
        TunnelRuntime server = Runtimes.server(dir, ws, "127.0.0.1:1-65535")) {
      String tunnel = Configs.templatedTunnel("tunnel", port, echo.address(), ws);
      if (fileAtStart) {
        Configs.write(routes, "tunnel.yaml", tunnel);
      }
      Main application = new Main();
      application
          .configure()
          .withRoutesReloadEnabled(true)
          .withRoutesReloadDirectory(routes.toString());
      application.start();
      try {
        if (!fileAtStart) {
          Configs.write(routes, "tunnel.yaml", tunnel);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> answers(port));
      } finally {
        application.stop();
      }
    }
  }

  private static boolean answers(int port) throws Exception {
    try (UdpApp app = new UdpApp(port)) {
      return app.roundTrip(new byte[] {42}) != null;
    }
  }

  @Test
  void tunnelFilesAreEditedAddedRemovedAndRefusedLiveWhileOtherRoutesReloadAsCamelDoes()
      throws Exception {
    CapturedLog log = CapturedLog.named("io.sudp.runtime.CamelRouteReload");
    int ws = FreePorts.tcp();
    int steadyPort = FreePorts.udp();
    int dns = FreePorts.udp();
    int added = FreePorts.udp();
    Path routes = Files.createDirectories(dir.resolve("routes"));
    try (UdpEchoServer echo = new UdpEchoServer();
        UdpEchoServer other = new UdpEchoServer();
        TunnelRuntime server = Runtimes.server(dir, ws, "127.0.0.1:1-65535")) {
      Configs.write(
          routes, "steady.yaml", Configs.templatedTunnel("steady", steadyPort, echo.address(), ws));
      Path dnsFile =
          Configs.write(
              routes, "dns.yaml", Configs.templatedTunnel("dns", dns, echo.address(), ws));
      Path greetingFile = Configs.write(routes, "greeting.yaml", greeting("hello"));
      Main application = new Main();
      application
          .configure()
          .withRoutesIncludePattern("file:" + routes + "/*.yaml")
          .withRoutesReloadEnabled(true)
          .withRoutesReloadDirectory(routes.toString());
      application.start();
      CamelContext context = application.getCamelContext();
      Duration within = Duration.ofSeconds(20);
      try (SteadyRoundTrips steady = new SteadyRoundTrips(steadyPort)) {
        await().atMost(Duration.ofSeconds(30)).until(() -> steady.answered() > 5);
        await().atMost(within).until(() -> answers(dns));

        long reachedOther = other.received();
        Files.writeString(dnsFile, Configs.templatedTunnel("dns", dns, other.address(), ws));
        await().atMost(within).until(() -> answers(dns) && other.received() > reachedOther);

        Files.writeString(dnsFile, Configs.templatedTunnel("dns", dns, "nowhere", ws));
        await()
            .atMost(within)
            .until(() -> log.contains(dnsFile + ":6: dns.destination: 'nowhere'"));
        assertThat(answers(dns)).as("the running tunnel, after a bad edit").isTrue();
        // Mended: the whole directory is checked on each change, so a broken file holds back the
        // others (the watcher takes events in order: this one comes before the next file's).
        Files.writeString(dnsFile, Configs.templatedTunnel("dns", dns, other.address(), ws));

        Files.writeString(
            routes.resolve("added.yaml"),
            Configs.templatedTunnel("added", added, echo.address(), ws));
        await().atMost(within).until(() -> context.getRoute("added") != null);
        await().atMost(within).until(() -> answers(added));

        Files.delete(dnsFile);
        await().atMost(within).until(() -> context.getRoute("dns") == null);
        assertThat(answers(dns)).as("a deleted tunnel's port").isFalse();

        Files.writeString(greetingFile, greeting("hello again"));
        await()
            .atMost(within)
            .until(
                () ->
                    "hello again"
                        .equals(
                            context
                                .createProducerTemplate()
                                .requestBody("direct:greeting", "", String.class)));

        long before = steady.answered();
        await().atMost(Duration.ofSeconds(30)).until(() -> steady.answered() > before + 5);
        assertThat(steady.missing()).as("round trips lost on the untouched tunnel").isZero();
        assertThat(context.getRoute("steady")).isNotNull();
      } finally {
        application.stop();
      }
    } finally {
      log.close();
    }
  }
}
