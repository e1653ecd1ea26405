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
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    int iperfPort = FreePorts.udp();
    int iperfReverse = FreePorts.udp();
    String iperf = RealProcess.program("iperf", "iperf");
    Configs.write(
        dir,
        "server.yaml",
        """
        server:
          listen: 127.0.0.1:%d
          reverse:
            bind: 127.0.0.1
            ports: ["%d", "%d", "%d"]
        """
            .formatted(wsPort, dnsReverse, echoReverse, iperfReverse));
    try (UdpEchoServer echo = new UdpEchoServer()) {
      Configs.write(
          dir,
          "client.yaml",
          """
          client:
            server: ws://127.0.0.1:%d/sudp
            reverse-allow: ["127.0.0.1:%d", "%s", "127.0.0.1:%d"]
            reverse-tunnels:
              - name: dns
                remote-listen: %d
                destination: 127.0.0.1:%d
              - name: echo
                remote-listen: %d
                destination: %s
              - name: iperf
                remote-listen: %d
                destination: 127.0.0.1:%d
          """
              .formatted(
                  wsPort,
                  dnsPort,
                  echo.address(),
                  iperfPort,
                  dnsReverse,
                  dnsPort,
                  echoReverse,
                  echo.address(),
                  iperfReverse,
                  iperfPort));
      Path serverYaml = dir.resolve("server.yaml");
      try (RealProcess dns = Dns.dnsmasq(dir, dnsPort, "192.0.2.7");
          RealProcess iperfServer =
              RealProcess.start(
                  dir,
                  "iperf-server",
                  List.of(iperf, "-s", "-u", "-B", "127.0.0.1", "-p", String.valueOf(iperfPort)));
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

          assertIperfCarried(dir, iperf, iperfReverse);

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

  /**
   * iperf2 sends 1 s of 1,400-byte datagrams at 8 Mbit/s one way through the reverse tunnel; its
   * server's report comes back the same way. Loss is left to the machine's load; most must arrive.
   */
  private static void assertIperfCarried(Path dir, String iperf, int port) throws Exception {
    RealProcess client =
        RealProcess.start(
            dir,
            "iperf-client",
            List.of(
                iperf,
                "-c",
                "127.0.0.1",
                "-u",
                "-p",
                String.valueOf(port),
                "-b",
                "8M",
                "-t",
                "1",
                "-l",
                "1400"));
    assertThat(client.awaitExit()).as(client.output()).isEqualTo(0);
    Matcher report =
        Pattern.compile("Server Report:[\\s\\S]*?(\\d+)/\\s*(\\d+) \\(").matcher(client.output());
    assertThat(report.find()).as(client.output()).isTrue();
    long lost = Long.parseLong(report.group(1));
    long total = Long.parseLong(report.group(2));
    assertThat(total).as(client.output()).isGreaterThan(400);
    assertThat(lost).as(client.output()).isLessThan(total / 2);
  }

  private static void awaitDig(int port) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> Dns.dig(port, "sudp.test", "A").equals("192.0.2.7"));
  }
}
