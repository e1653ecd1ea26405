package io.sudp.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.process.LogSetup;
import io.sudp.runtime.TunnelRuntime;
import io.sudp.testing.FreePorts;
import io.sudp.testing.Runtimes;
import io.sudp.testing.UdpApp;
import io.sudp.testing.UdpEchoServer;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import javax.management.Attribute;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The project MBeans, used as JConsole or Hawtio would: read attributes, close a flow on the
 * server, disconnect a client (which reconnects and resumes), switch debug logging.
 */
class JmxControlTest {
  @TempDir Path dir;

  private final MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();

  @Test
  void operatorsSeeAndControlConnectionsAndFlows() throws Exception {
    int ws = FreePorts.tcp();
    int tunnelPort = FreePorts.udp();
    try (UdpEchoServer echo = new UdpEchoServer();
        TunnelRuntime server = Runtimes.server(dir, ws, echo.address());
        TunnelRuntime client = Runtimes.client(dir, ws, tunnelPort, echo.address());
        UdpApp app = new UdpApp(tunnelPort)) {
      ObjectName serverBean = new ObjectName("io.sudp:type=Server,name=server-" + ws);
      ObjectName clientBean = new ObjectName("io.sudp:type=Client,name=client-" + tunnelPort);
      ObjectName instanceBean = new ObjectName("io.sudp:type=Instance,name=client-" + tunnelPort);
      await().until(() -> app.roundTrip(new byte[] {1}) != null);

      assertThat(jmx.getAttribute(clientBean, "Connected")).isEqualTo(true);
      assertThat((String[]) jmx.getAttribute(clientBean, "Tunnels"))
          .containsExactly(
              "echo: Started, udp 127.0.0.1:" + tunnelPort + " -> " + echo.address() + ", 1 flows");
      String[] connections = (String[]) jmx.getAttribute(serverBean, "Connections");
      assertThat(connections).hasSize(1);
      long connection = Long.parseLong(connections[0].substring(0, connections[0].indexOf(':')));
      String[] flows =
          (String[])
              jmx.invoke(serverBean, "flowsOf", new Object[] {connection}, new String[] {"long"});
      assertThat(flows).singleElement().asString().startsWith("flow 1 -> " + echo.address());

      assertThat(
              jmx.invoke(
                  serverBean,
                  "closeFlow",
                  new Object[] {connection, 1},
                  new String[] {"long", "int"}))
          .isEqualTo(true);
      await().until(() -> (int) jmx.getAttribute(clientBean, "FlowCount") == 0);
      assertThat(app.roundTrip(new byte[] {2})).containsExactly(2); // a new flow opens

      assertThat(
              jmx.invoke(
                  serverBean, "disconnect", new Object[] {connection}, new String[] {"long"}))
          .isEqualTo(true);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> { // a reconnect, after backing off
                String[] now = (String[]) jmx.getAttribute(serverBean, "Connections");
                return now.length == 1 && !now[0].startsWith(connection + ":");
              });
      assertThat(app.roundTrip(new byte[] {3})).containsExactly(3);

      jmx.setAttribute(instanceBean, new Attribute("Debug", true));
      assertThat(LogSetup.isDebug()).isTrue();
      jmx.setAttribute(instanceBean, new Attribute("Debug", false));
      assertThat(LogSetup.isDebug()).isFalse();
      assertThat((String) jmx.getAttribute(instanceBean, "Status")).contains("client: connected");
    }
  }
}
