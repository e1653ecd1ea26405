package io.sudp.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sudp.runtime.TunnelRuntime;
import io.sudp.testing.Configs;
import io.sudp.testing.FreePorts;
import io.sudp.testing.Readiness;
import io.sudp.testing.Runtimes;
import io.sudp.testing.UdpApp;
import io.sudp.testing.UdpEchoServer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import javax.management.ObjectName;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Camel application with no SUDP configuration at all declares tunnels as {@code templatedRoute}s
 * of {@code sudp-client-tunnel} in its own route YAML, with plain parameters: they carry datagrams
 * to a real SUDP server and back, share one connection per server, check their parameters as a
 * configuration file's tunnels are checked, and end their flows when their route is removed.
 */
class TemplatedTunnelTest {
  @TempDir Path dir;

  private Main application(String routes) throws Exception {
    Path file = Configs.write(dir, "app.camel.yaml", routes);
    Main application = new Main();
    application.configure().withRoutesIncludePattern("file:" + file);
    return application;
  }

  @Test
  void tunnelsDeclaredOnlyAsRoutesCarryDatagramsOverOneSharedConnection() throws Exception {
    int ws = FreePorts.tcp();
    int dns = FreePorts.udp();
    int voip = FreePorts.udp();
    try (UdpEchoServer echo = new UdpEchoServer();
        TunnelRuntime server = Runtimes.server(dir, ws, echo.address())) {
      Main application =
          application(
              Configs.templatedTunnel("dns", dns, echo.address(), ws)
                  + Configs.templatedTunnel("voip", voip, echo.address(), ws));
      PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      application.bind("metricsRegistry", metrics); // the host's, as camel-micrometer binds it
      application.start();
      ObjectName clientMbean =
          new ObjectName("io.sudp:type=Client,name=" + application.getCamelContext().getName());
      try (UdpApp dnsApp = new UdpApp(dns);
          UdpApp voipApp = new UdpApp(voip)) {
        CamelContext context = application.getCamelContext();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> dnsApp.roundTrip("q".getBytes(StandardCharsets.UTF_8)) != null);
        assertThat(voipApp.roundTrip("voice".getBytes(StandardCharsets.UTF_8)))
            .asString()
            .isEqualTo("voice");
        assertThat(context.getRoutes())
            .extracting(Route::getRouteId)
            .as("one return route: both tunnels name the same server")
            .containsExactlyInAnyOrder("dns", "voip", "sudp-client-downstream");
        Readiness.assertTunnelUp(context);
        assertThat(metrics.scrape())
            .as("SUDP's meters in the host's registry, with no SUDP configuration")
            .contains("sudp_connected{", "sudp_tunnel_flows{");
        assertThat(ManagementFactory.getPlatformMBeanServer().isRegistered(clientMbean))
            .as("the client's MBean")
            .isTrue();

        context.getRouteController().stopRoute("dns");
        context.getRouteController().startRoute("dns");
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () ->
                    assertThat(dnsApp.roundTrip("again".getBytes(StandardCharsets.UTF_8)))
                        .as("the same sender, after its tunnel's route was stopped and started")
                        .asString()
                        .isEqualTo("again"));

        context.getRouteController().stopRoute("voip");
        context.removeRoute("voip");
        assertThat(dnsApp.sendOnceAndAwaitEcho("still".getBytes(StandardCharsets.UTF_8)))
            .asString()
            .isEqualTo("still");
      } finally {
        application.stop();
      }
      assertThat(ManagementFactory.getPlatformMBeanServer().isRegistered(clientMbean))
          .as("the client's MBean, once the application stopped")
          .isFalse();
    }
  }

  @Test
  void aConnectionNoTunnelUsesAnyMoreIsClosed() throws Exception {
    Main application =
        application(
            Configs.templatedTunnel("lonely", FreePorts.udp(), "127.0.0.1:53", FreePorts.tcp()));
    application.start();
    try {
      CamelContext context = application.getCamelContext();
      await()
          .untilAsserted(
              () ->
                  assertThat(context.getRoutes())
                      .extracting(Route::getRouteId)
                      .containsExactlyInAnyOrder("lonely", "sudp-client-downstream"));

      context.getRouteController().stopRoute("lonely");
      context.removeRoute("lonely");

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(context.getRoutes()).isEmpty());
    } finally {
      application.stop();
    }
  }

  @Test
  void anUnknownParameterIsRefusedNotIgnored() throws Exception {
    Main application =
        application(
            Configs.templatedTunnel("typo", FreePorts.udp(), "127.0.0.1:53", FreePorts.tcp())
                + "      - {name: max_datagrams_per_second, value: \"10\"}\n");
    try {
      assertThatThrownBy(application::start)
          .rootCause()
          .hasMessageContaining("route typo: max_datagrams_per_second: unknown key")
          .hasMessageContaining("known here: ")
          .hasMessageContaining("max-datagrams-per-second");
    } finally {
      application.stop();
    }
  }

  @Test
  void aParameterThatIsNoTunnelSettingStopsTheRouteWithTheConfigurationsMessage() throws Exception {
    int ws = FreePorts.tcp();
    Main application =
        application(Configs.templatedTunnel("broken", FreePorts.udp(), "nowhere", ws));
    try {
      assertThatThrownBy(application::start)
          .rootCause()
          .hasMessageContaining("route broken: destination: ")
          .hasMessageContaining("expected HOST:PORT");
    } finally {
      application.stop();
    }
  }
}
