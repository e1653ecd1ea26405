package io.sudp.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.runtime.Role;
import io.sudp.runtime.TunnelParts;
import io.sudp.runtime.TunnelRuntime;
import io.sudp.testing.CapturedLog;
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

/**
 * One tunnel whose port is taken does not keep the others from running, and starts later; whatever
 * its name, as long as it is valid (names the client's own routes begin with included).
 */
class TunnelIsolationTest {
  @TempDir Path dir;

  @Test
  void aTunnelThatCannotStartIsRetriedWhileTheOthersRun() throws Exception {
    int ws = FreePorts.tcp();
    int free = FreePorts.udp();
    DatagramSocket squatter = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    int taken = squatter.getLocalPort();
    CapturedLog log = CapturedLog.of(TunnelParts.class);
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
                - name: downstream-dns
                  listen: 127.0.0.1:%d
                  destination: %s
                - name: tunnel
                  listen: 127.0.0.1:%d
                  destination: %s
            """
                    .formatted(ws, taken, echo.address(), free, echo.address()));
        UdpApp working = new UdpApp(free)) {
      assertThat(working.roundTrip(new byte[] {1})).containsExactly(1);
      String warning = "tunnel downstream-dns: cannot listen on udp 127.0.0.1:" + taken + ": ";
      await().until(() -> log.contains(warning));
      assertThat(log.contains("Address already in use; retrying")).isTrue();

      squatter.close();
      try (UdpApp blocked = new UdpApp(taken)) {
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> blocked.roundTrip(new byte[] {2}) != null);
      }
      assertThat(working.roundTrip(new byte[] {3})).containsExactly(3);
      await().until(() -> log.contains("tunnel downstream-dns: udp 127.0.0.1:" + taken + " -> "));
      assertThat(log.count(warning)).as("one warning while it is retried").isEqualTo(1);
    } finally {
      log.close();
      squatter.close();
    }
  }
}
