package io.sudp.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.routes.RouteNames;
import io.sudp.testing.Configs;
import io.sudp.testing.FreePorts;
import io.sudp.testing.Runtimes;
import io.sudp.testing.UdpApp;
import io.sudp.testing.UdpEchoServer;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TunnelReconciler} through a client's reload: a tunnel added starts, one removed stops with
 * its flows, route and framing core, one changed is replaced, and one unchanged keeps its route,
 * its framing core and its flow.
 */
class TunnelReconcilerTest {
  @TempDir Path dir;

  private static String client(int ws, String destination, int... ports) {
    StringBuilder yaml =
        new StringBuilder("client:\n  server: ws://127.0.0.1:%d/sudp\n  tunnels:\n".formatted(ws));
    String[] names = {"kept", "changed", "removed", "added"};
    for (int i = 0; i < ports.length; i++) {
      if (ports[i] != 0) {
        yaml.append(
            "    - {name: %s, listen: \"127.0.0.1:%d\", destination: \"%s\"}\n"
                .formatted(names[i], ports[i], destination));
      }
    }
    return yaml.toString();
  }

  /** The framing core of the tunnel, or null if the client does not carry it. */
  private static Object step(ClientAssembly client, String tunnel) {
    RunningTunnel running = client.running(tunnel);
    return running == null ? null : running.tunnel();
  }

  @Test
  void startsAddedStopsRemovedReplacesChangedAndLeavesTheRestAlone() throws Exception {
    int ws = FreePorts.tcp();
    int kept = FreePorts.udp();
    int changed = FreePorts.udp();
    int moved = FreePorts.udp();
    int removed = FreePorts.udp();
    int added = FreePorts.udp();
    try (UdpEchoServer echo = new UdpEchoServer();
        TunnelRuntime server = Runtimes.server(dir, ws, echo.address());
        TunnelRuntime runtime =
            Runtimes.start(
                Role.CLIENT,
                dir,
                "client.yaml",
                client(ws, echo.address(), kept, changed, removed));
        UdpApp keptApp = new UdpApp(kept);
        UdpApp changedApp = new UdpApp(changed)) {
      ClientAssembly client = runtime.client();
      CamelContext context = runtime.camelContext();
      assertThat(keptApp.roundTrip(new byte[] {1})).isNotNull();
      assertThat(changedApp.roundTrip(new byte[] {2})).isNotNull();
      await().until(() -> client.flowCount() == 2);
      Route keptRoute = context.getRoute(RouteNames.tunnelRoute("kept"));
      Route changedRoute = context.getRoute(RouteNames.tunnelRoute("changed"));
      Object keptStep = step(client, "kept");
      Object changedStep = step(client, "changed");
      assertThat(step(client, "removed")).isNotNull();

      client.reload(
          Configs.load(dir, "next.yaml", client(ws, echo.address(), kept, moved, 0, added))
              .client());

      assertThat(context.getRoute(RouteNames.tunnelRoute("kept"))).isSameAs(keptRoute);
      assertThat(step(client, "kept")).isSameAs(keptStep);
      assertThat(client.listenAddress("kept").port()).isEqualTo(kept);

      Route replaced = context.getRoute(RouteNames.tunnelRoute("changed"));
      assertThat(replaced).isNotNull().isNotSameAs(changedRoute);
      assertThat(step(client, "changed")).isNotNull().isNotSameAs(changedStep);
      assertThat(client.listenAddress("changed").port()).isEqualTo(moved);

      assertThat(context.getRoute(RouteNames.tunnelRoute("removed"))).isNull();
      assertThat(step(client, "removed")).isNull();
      assertThat(client.listenAddress("removed")).isNull();

      assertThat(client.listenAddress("added").port()).isEqualTo(added);
      assertThat(context.getRouteController().getRouteStatus(RouteNames.tunnelRoute("added")))
          .isEqualTo(ServiceStatus.Started);

      assertThat(client.flowCount())
          .as("the changed tunnel's flow ended, the kept one's not")
          .isEqualTo(1);
      assertThat(keptApp.sendOnceAndAwaitEcho(new byte[] {3})).isNotNull();
      assertThat(client.flowCount()).as("the kept tunnel's datagram used its flow").isEqualTo(1);
      for (int port : new int[] {moved, added}) {
        try (UdpApp app = new UdpApp(port)) {
          await().atMost(Duration.ofSeconds(10)).until(() -> app.roundTrip(new byte[] {4}) != null);
        }
      }
    }
  }
}
