package io.sudp.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.runtime.TunnelRuntime;
import io.sudp.testing.CapturedLog;
import io.sudp.testing.FreePorts;
import io.sudp.testing.Runtimes;
import io.sudp.testing.UdpApp;
import io.sudp.testing.UdpEchoServer;
import io.sudp.transport.WsClient;
import io.sudp.transport.WsServer;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each end of a connection says who closed it and why. Vert.x keeps the code of the close frame it
 * received, which after a close this end began is the peer's echo of it: the client said "closed by
 * the server" for a close it had made itself, and the server that the client disconnected for one
 * it had made.
 */
class CloseBlameTest {
  @TempDir Path dir;

  private final MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
  private final CapturedLog log =
      CapturedLog.of(WsClient.class, WsServer.class, TunnelRuntime.class);

  @AfterEach
  void unwatch() {
    log.close();
  }

  @Test
  void bothEndsNameTheEndThatClosed() throws Exception {
    int ws = FreePorts.tcp();
    int tunnelPort = FreePorts.udp();
    try (UdpEchoServer echo = new UdpEchoServer();
        TunnelRuntime server = Runtimes.server(dir, ws, echo.address());
        TunnelRuntime client = Runtimes.client(dir, ws, tunnelPort, echo.address());
        UdpApp app = new UdpApp(tunnelPort)) {
      ObjectName serverBean = new ObjectName("io.sudp:type=Server,name=server-" + ws);
      ObjectName clientBean = new ObjectName("io.sudp:type=Client,name=client-" + tunnelPort);
      await().until(() -> app.roundTrip(new byte[] {1}) != null);

      jmx.invoke(clientBean, "reconnect", new Object[0], new String[0]);
      await()
          .until(
              () ->
                  log.contains(
                      "connection to ws://127.0.0.1:"
                          + ws
                          + "/sudp closed by this client (1001 reconnect requested by the operator)"));
      await()
          .until(
              () ->
                  log.contains("closed by the client (1001 reconnect requested by the operator)"));
      assertThat(log.contains("closed by the server (1001")).isFalse();
      assertThat(app.roundTrip(new byte[] {2})).containsExactly(2);

      String[] connections = (String[]) jmx.getAttribute(serverBean, "Connections");
      long connection = Long.parseLong(connections[0].substring(0, connections[0].indexOf(':')));
      jmx.invoke(serverBean, "disconnect", new Object[] {connection}, new String[] {"long"});
      await().until(() -> log.contains("closed by the server (1008 disconnected by the operator)"));
      await()
          .until(() -> log.contains("closed by this server (1008 disconnected by the operator)"));
      assertThat(log.contains("closed by the client (1008")).isFalse();
      assertThat(app.roundTrip(new byte[] {3})).containsExactly(3);
    }
  }

  @Test
  void theFinalCountsOfAConnectedClientCarryNoOldConnectError() throws Exception {
    int ws = FreePorts.tcp();
    int tunnelPort = FreePorts.udp();
    try (UdpEchoServer echo = new UdpEchoServer();
        UdpApp app = new UdpApp(tunnelPort)) {
      TunnelRuntime client = Runtimes.client(dir, ws, tunnelPort, echo.address());
      boolean closed = false;
      try (TunnelRuntime server = startedAfter(client, ws, echo.address())) {
        // The client is backing off: a reconnect, then a round trip.
        await().atMost(Duration.ofSeconds(30)).until(() -> app.roundTrip(new byte[] {1}) != null);
        assertThat(client.status()).contains("client: connected").doesNotContain("refused");
        closed = true;
        client.close();
        assertThat(log.first("final counts").orElseThrow())
            .contains("client: disconnected,")
            .doesNotContain("refused");
      } finally {
        if (!closed) {
          client.close();
        }
      }
    }
  }

  private TunnelRuntime startedAfter(TunnelRuntime client, int ws, String allow) throws Exception {
    await().until(() -> log.contains("cannot connect to ws://127.0.0.1:" + ws));
    assertThat(client.status()).contains("Connection refused");
    return Runtimes.server(dir, ws, allow);
  }
}
