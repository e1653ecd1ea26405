package io.sudp.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.config.HostPort;
import io.sudp.ops.DropCause;
import io.sudp.runtime.Role;
import io.sudp.runtime.TunnelRuntime;
import io.sudp.testing.FreePorts;
import io.sudp.testing.Runtimes;
import io.sudp.testing.SteadyRoundTrips;
import io.sudp.testing.UdpApp;
import io.sudp.testing.UdpEchoServer;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Port 0 picks a port that is logged and shown; one tunnel is stopped and started over JMX. */
class InstanceControlTest {
  @TempDir Path dir;

  private static boolean answers(HostPort listen) throws Exception {
    try (UdpApp app = new UdpApp(listen.port())) {
      return app.roundTrip(new byte[] {1}) != null;
    }
  }

  @Test
  void eachTunnelHasItsOwnIdleTimeoutAndRateLimit() throws Exception {
    int ws = FreePorts.tcp();
    int brief = FreePorts.udp();
    int limited = FreePorts.udp();
    try (UdpEchoServer echo = new UdpEchoServer();
        TunnelRuntime server = Runtimes.server(dir, ws, echo.address());
        TunnelRuntime client =
            Runtimes.start(
                Role.CLIENT,
                dir,
                "client.yaml",
                """
            client:
              server: ws://127.0.0.1:%d/sudp
              tunnels:
                - {name: brief, listen: "127.0.0.1:%d", destination: "%s", idle-timeout: 500ms}
                - {name: limited, listen: "127.0.0.1:%d", destination: "%s",
                   max-datagrams-per-second: 10}
            """
                    .formatted(ws, brief, echo.address(), limited, echo.address()));
        UdpApp briefApp = new UdpApp(brief);
        UdpApp limitedApp = new UdpApp(limited)) {
      assertThat(briefApp.roundTrip(new byte[] {1})).containsExactly(1);
      assertThat(limitedApp.roundTrip(new byte[] {2})).containsExactly(2);
      await().until(() -> client.client().flowCount() == 1); // brief's flow idled out

      for (int i = 0; i < 100; i++) {
        limitedApp.send(new byte[] {(byte) i});
      }
      await().until(() -> client.client().counters().drops(DropCause.RATE_LIMITED) > 50);
    }
  }

  @Test
  void aTunnelOnPortZeroGetsAPortAndCanBeStoppedAndStartedAloneOverJmx() throws Exception {
    int ws = FreePorts.tcp();
    int steadyPort = FreePorts.udp();
    try (UdpEchoServer echo = new UdpEchoServer();
        TunnelRuntime server = Runtimes.server(dir, ws, echo.address());
        TunnelRuntime client =
            Runtimes.start(
                Role.CLIENT,
                dir,
                "client.yaml",
                """
            client:
              server: ws://127.0.0.1:%d/sudp
              tunnels:
                - {name: picked, listen: "127.0.0.1:0", destination: "%s"}
                - {name: steady, listen: "127.0.0.1:%d", destination: "%s"}
            """
                    .formatted(ws, echo.address(), steadyPort, echo.address()));
        SteadyRoundTrips steady = new SteadyRoundTrips(steadyPort)) {
      HostPort picked = client.client().listenAddress("picked");
      assertThat(picked.port()).isPositive();
      assertThat(answers(picked)).isTrue();
      assertThat(client.status()).contains("picked@" + picked);

      MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
      Set<ObjectName> routes =
          jmx.queryNames(
              new ObjectName("org.apache.camel:type=routes,name=\"sudp-client-picked\",*"), null);
      assertThat(routes).hasSize(1);
      ObjectName route = routes.iterator().next();

      jmx.invoke(route, "stop", null, null);
      await().until(() -> !answers(picked));
      jmx.invoke(route, "start", null, null);
      await().until(() -> answers(picked));

      long before = steady.answered();
      await().until(() -> steady.answered() > before + 5);
      assertThat(steady.missing()).as("round trips lost by the other tunnel").isZero();
    }
  }
}
