package io.sudp.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.sudp.runtime.TunnelRuntime;
import io.sudp.testing.FreePorts;
import io.sudp.testing.Runtimes;
import io.sudp.testing.UdpApp;
import io.sudp.testing.UdpEchoServer;
import io.sudp.transport.WsClient;
import io.sudp.transport.WsServer;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Each end of a connection says who closed it and why. Vert.x keeps the code of the close frame it
 * received, which after a close this end began is the peer's echo of it: the client said "closed
 * by the server" for a close it had made itself, and the server that the client disconnected for
 * one it had made.
 */
class CloseBlameTest {
  @TempDir Path dir;

  private final MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final List<Logger> watched = List.of((Logger) LoggerFactory.getLogger(WsClient.class),
      (Logger) LoggerFactory.getLogger(WsServer.class),
      (Logger) LoggerFactory.getLogger(TunnelRuntime.class));

  @AfterEach
  void unwatch() {
    watched.forEach(logger -> {
      logger.detachAppender(log);
      logger.setLevel(null);
    });
  }

  private void watch() {
    log.start();
    watched.forEach(logger -> {
      logger.setLevel(Level.INFO); // whatever level an earlier test left
      logger.addAppender(log);
    });
  }

  private boolean logged(String text) {
    synchronized (log.list) {
      return log.list.stream().anyMatch(event -> event.getFormattedMessage().contains(text));
    }
  }

  private String message(String containing) {
    synchronized (log.list) {
      return log.list.stream().map(ILoggingEvent::getFormattedMessage)
          .filter(text -> text.contains(containing)).findFirst().orElseThrow();
    }
  }

  @Test
  void bothEndsNameTheEndThatClosed() throws Exception {
    int ws = FreePorts.tcp();
    int tunnelPort = FreePorts.udp();
    watch();
    try (UdpEchoServer echo = new UdpEchoServer();
        TunnelRuntime server = Runtimes.server(dir, ws, echo.address());
        TunnelRuntime client = Runtimes.client(dir, ws, tunnelPort, echo.address());
        UdpApp app = new UdpApp(tunnelPort)) {
      ObjectName serverBean = new ObjectName("io.sudp:type=Server,name=server-" + ws);
      ObjectName clientBean = new ObjectName("io.sudp:type=Client,name=client-" + tunnelPort);
      await().until(() -> app.roundTrip(new byte[] {1}) != null);

      jmx.invoke(clientBean, "reconnect", new Object[0], new String[0]);
      await().until(() -> logged("connection to ws://127.0.0.1:" + ws
          + "/sudp closed by this client (1001 reconnect requested by the operator)"));
      await().until(() -> logged(
          "closed by the client (1001 reconnect requested by the operator)"));
      assertThat(logged("closed by the server (1001")).isFalse();
      assertThat(app.roundTrip(new byte[] {2})).containsExactly(2);

      String[] connections = (String[]) jmx.getAttribute(serverBean, "Connections");
      long connection = Long.parseLong(connections[0].substring(0, connections[0].indexOf(':')));
      jmx.invoke(serverBean, "disconnect", new Object[] {connection}, new String[] {"long"});
      await().until(() -> logged("closed by the server (1008 disconnected by the operator)"));
      await().until(() -> logged("closed by this server (1008 disconnected by the operator)"));
      assertThat(logged("closed by the client (1008")).isFalse();
      assertThat(app.roundTrip(new byte[] {3})).containsExactly(3);
    }
  }

  @Test
  void theFinalCountsOfAConnectedClientCarryNoOldConnectError() throws Exception {
    int ws = FreePorts.tcp();
    int tunnelPort = FreePorts.udp();
    watch();
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
        assertThat(message("final counts")).contains("client: disconnected,")
            .doesNotContain("refused");
      } finally {
        if (!closed) {
          client.close();
        }
      }
    }
  }

  private TunnelRuntime startedAfter(TunnelRuntime client, int ws, String allow)
      throws Exception {
    await().until(() -> logged("cannot connect to ws://127.0.0.1:" + ws));
    assertThat(client.status()).contains("Connection refused");
    return Runtimes.server(dir, ws, allow);
  }
}
