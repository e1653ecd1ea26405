package io.sudp.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.testing.Configs;
import io.sudp.testing.Dns;
import io.sudp.testing.FreePorts;
import io.sudp.testing.RealProcess;
import io.sudp.testing.UdpApp;
import io.sudp.testing.UdpEchoServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reverse tunnels with the real jar: {@code dig} on the server's side asks the server's reverse
 * port and reaches {@code dnsmasq} on the client's side; datagrams up to 65,507 bytes come back
 * byte for byte from an echo there; a restarted server gets its listeners again from the client.
 */
class ReverseTunnelIT {
  @TempDir Path dir;

  @Test
  void digOnTheServersSideReachesDnsmasqOnTheClientsSide() throws Exception {
    Dns.requirePrograms();
    int dnsPort = FreePorts.udp();
    int wsPort = FreePorts.tcp();
    int dnsReverse = FreePorts.udp();
    int echoReverse = FreePorts.udp();
    Configs.write(
        dir,
        "server.yaml",
        """
        server:
          listen: 127.0.0.1:%d
          reverse:
            bind: 127.0.0.1
            ports: ["%d", "%d"]
        """
            .formatted(wsPort, dnsReverse, echoReverse));
    try (UdpEchoServer echo = new UdpEchoServer()) {
      Configs.write(
          dir,
          "client.yaml",
          """
          client:
            server: ws://127.0.0.1:%d/sudp
            reverse-allow: ["127.0.0.1:%d", "%s"]
            reverse-tunnels:
              - name: dns
                remote-listen: %d
                destination: 127.0.0.1:%d
              - name: echo
                remote-listen: %d
                destination: %s
          """
              .formatted(
                  wsPort,
                  dnsPort,
                  echo.address(),
                  dnsReverse,
                  dnsPort,
                  echoReverse,
                  echo.address()));
      Path serverYaml = dir.resolve("server.yaml");
      try (RealProcess dns = Dns.dnsmasq(dir, dnsPort, "192.0.2.7");
          RealProcess client =
              RealProcess.sudp(
                  dir, "client", "client", "-c", dir.resolve("client.yaml").toString())) {
        RealProcess server = RealProcess.sudp(dir, "server", "server", "-c", serverYaml.toString());
        try {
          awaitDig(dnsReverse);
          for (int i = 0; i < 10; i++) {
            assertThat(Dns.dig(dnsReverse, "host" + i + ".sudp.test", "A")).isEqualTo("192.0.2.7");
          }
          assertThat(Dns.dig(dnsReverse, "txt.sudp.test", "TXT"))
              .isEqualTo("\"carried by a websocket\"");
          try (UdpApp app = new UdpApp(echoReverse)) {
            for (int length : new int[] {1, 1400, 65_507}) {
              byte[] payload = new byte[length];
              new Random(length).nextBytes(payload);
              assertThat(app.roundTrip(payload)).as("%d bytes", length).isEqualTo(payload);
            }
          }

          assertThat(server.stop()).as(server.output()).isEqualTo(0);
          server = RealProcess.sudp(dir, "server-2", "server", "-c", serverYaml.toString());
          awaitDig(dnsReverse); // the client offered its tunnels to the new server
        } finally {
          server.stop();
        }
        assertThat(dns.isAlive()).isTrue();
        assertThat(client.stop()).as(client.output()).isEqualTo(0);
        assertThat(client.output())
            .contains("reverse tunnel dns: the server listens on port " + dnsReverse);
      }
    }
  }

  private static void awaitDig(int port) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> Dns.dig(port, "sudp.test", "A").equals("192.0.2.7"));
  }
}
