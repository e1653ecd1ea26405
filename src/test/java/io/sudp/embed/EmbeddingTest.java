package io.sudp.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sudp.testing.Configs;
import io.sudp.testing.FreePorts;
import io.sudp.testing.Readiness;
import io.sudp.testing.UdpApp;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.management.ObjectName;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Camel application of its own (camel-main, its own YAML routes) that declares SUDP as a bean in
 * those routes: the tunnel runs in the application's context, next to its routes, and carries
 * datagrams.
 */
class EmbeddingTest {
  @TempDir Path dir;

  @Test
  void aCamelApplicationRunsATunnelFromItsOwnYamlRoutes() throws Exception {
    int ws = FreePorts.tcp();
    int tunnelPort = FreePorts.udp();
    int echoPort = FreePorts.udp();
    Path tunnel =
        Configs.write(dir, "tunnel.yaml", Configs.loopbackTunnel(ws, tunnelPort, echoPort));
    Path routes =
        Configs.write(
            dir,
            "app.camel.yaml",
            """
        - beans:
            - name: sudp
              type: io.sudp.embed.SudpTunnels
              properties:
                config: "%s"
        - route:
            id: app-ticks
            from:
              uri: timer:ticks?period=1000
              steps:
                - log: "the application's own route"
        """
                .formatted(tunnel));

    Main application = new Main();
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    application.bind("metricsRegistry", metrics); // the host's, as camel-micrometer binds it
    application.configure().withRoutesIncludePattern("file:" + routes);
    application.start();
    try {
      CamelContext context = application.getCamelContext();
      await()
          .untilAsserted(
              () ->
                  assertThat(context.getRoutes())
                      .extracting(Route::getRouteId)
                      .containsExactlyInAnyOrder(
                          "app-ticks",
                          "sudp-server-upstream",
                          "sudp-server-downstream",
                          "sudp-client-downstream",
                          "sudp-client-echo",
                          "sudp-echo"));
      SudpTunnels sudp = context.getRegistry().lookupByNameAndType("sudp", SudpTunnels.class);
      await().until(() -> sudp.running().ready());
      try (UdpApp app = new UdpApp(tunnelPort)) {
        await().until(() -> app.roundTrip("through".getBytes(StandardCharsets.UTF_8)) != null);
        assertThat(app.roundTrip("embedded".getBytes(StandardCharsets.UTF_8)))
            .asString()
            .isEqualTo("embedded");
      }
      assertThat(sudp.running().status()).contains("client: connected");
      assertThat(metrics.scrape())
          .as("SUDP's meters in the host's registry")
          .contains("sudp_connected{", "sudp_tunnel_flows{", "sudp_sessions{");
      assertThat(
              ManagementFactory.getPlatformMBeanServer()
                  .queryNames(new ObjectName("io.sudp:type=Client,*"), null))
          .as("the project's MBeans, embedded")
          .hasSize(1);
      Readiness.assertTunnelUp(context);
    } finally {
      application.stop();
    }
  }
}
