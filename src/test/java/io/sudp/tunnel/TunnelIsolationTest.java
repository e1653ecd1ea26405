package io.sudp.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.sudp.runtime.Role;
import io.sudp.runtime.TunnelParts;
import io.sudp.runtime.TunnelRuntime;
import io.sudp.testing.FreePorts;
import io.sudp.testing.Runtimes;
import io.sudp.testing.UdpApp;
import io.sudp.testing.UdpEchoServer;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** One tunnel whose port is taken does not keep the others from running, and starts later. */
class TunnelIsolationTest {
  @TempDir Path dir;

  @Test
  void aTunnelThatCannotStartIsRetriedWhileTheOthersRun() throws Exception {
    int ws = FreePorts.tcp();
    int free = FreePorts.udp();
    DatagramSocket squatter = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    int taken = squatter.getLocalPort();
    Logger partsLog = (Logger) LoggerFactory.getLogger(TunnelParts.class);
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    partsLog.setLevel(Level.INFO); // whatever level an earlier test left
    partsLog.addAppender(log);
    try (UdpEchoServer echo = new UdpEchoServer();
        TunnelRuntime server = Runtimes.server(dir, ws, echo.address());
        TunnelRuntime client = Runtimes.start(Role.CLIENT, dir, "client.yaml", """
            client:
              server: ws://127.0.0.1:%d/sudp
              tunnels:
                - name: blocked
                  listen: 127.0.0.1:%d
                  destination: %s
                - name: working
                  listen: 127.0.0.1:%d
                  destination: %s
            """.formatted(ws, taken, echo.address(), free, echo.address()));
        UdpApp working = new UdpApp(free)) {
      assertThat(working.roundTrip(new byte[] {1})).containsExactly(1);
      String warning = "tunnel blocked: cannot listen on udp 127.0.0.1:" + taken + ": ";
      await().until(() -> logged(log, warning));
      assertThat(logged(log, "Address already in use; retrying")).isTrue();

      squatter.close();
      try (UdpApp blocked = new UdpApp(taken)) {
        await().atMost(Duration.ofSeconds(30))
            .until(() -> blocked.roundTrip(new byte[] {2}) != null);
      }
      assertThat(working.roundTrip(new byte[] {3})).containsExactly(3);
      await().until(() -> logged(log, "tunnel blocked: udp 127.0.0.1:" + taken + " -> "));
      assertThat(count(log, warning)).as("one warning while it is retried").isEqualTo(1);
    } finally {
      partsLog.detachAppender(log);
      partsLog.setLevel(null);
      squatter.close();
    }
  }

  private static boolean logged(ListAppender<ILoggingEvent> log, String text) {
    return count(log, text) > 0;
  }

  private static long count(ListAppender<ILoggingEvent> log, String text) {
    synchronized (log.list) {
      return log.list.stream().filter(event -> event.getFormattedMessage().contains(text)).count();
    }
  }
}
