package io.sudp.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.process.PidFile;
import io.sudp.testing.Configs;
import io.sudp.testing.Dns;
import io.sudp.testing.FreePorts;
import io.sudp.testing.RealProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real DNS through the real jar: dnsmasq answers behind the server process, dig asks through the
 * client process. Neither program knows it is being tunnelled.
 */
class DnsThroughTunnelIT {
  @TempDir Path dir;

  @Test
  void digGetsDnsmasqsAnswersThroughSeparateServerAndClientProcesses() throws Exception {
    Dns.requirePrograms();
    int dnsPort = FreePorts.udp();
    int wsPort = FreePorts.tcp();
    int tunnelPort = FreePorts.udp();
    Configs.write(
        dir,
        "server.yaml",
        """
        server:
          listen: 127.0.0.1:%d
          allow:
            - 127.0.0.1:%d
        """
            .formatted(wsPort, dnsPort));
    Configs.write(
        dir,
        "client.yaml",
        """
        client:
          server: ws://127.0.0.1:%d/sudp
          tunnels:
            - name: dns
              listen: 127.0.0.1:%d
              destination: 127.0.0.1:%d
        """
            .formatted(wsPort, tunnelPort, dnsPort));

    try (RealProcess dns = Dns.dnsmasq(dir, dnsPort, "192.0.2.7");
        RealProcess server =
            RealProcess.sudp(dir, "server", "server", "-c", dir.resolve("server.yaml").toString());
        RealProcess client =
            RealProcess.sudp(
                dir, "client", "client", "-c", dir.resolve("client.yaml").toString())) {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> Dns.dig(tunnelPort, "sudp.test", "A").equals("192.0.2.7"));

      for (int i = 0; i < 20; i++) {
        assertThat(Dns.dig(tunnelPort, "host" + i + ".sudp.test", "A")).isEqualTo("192.0.2.7");
      }
      assertThat(Dns.dig(tunnelPort, "txt.sudp.test", "TXT"))
          .isEqualTo("\"carried by a websocket\"");
      assertThat(dns.isAlive()).isTrue();
      // Their PID files are this test's own, not those of another checkout's tests.
      Path pidFiles = RealProcess.runtimeDirectory(dir).resolve("sudp");
      assertThat(PidFile.readPid(pidFiles.resolve("server.pid"))).contains(server.pid());
      assertThat(PidFile.readPid(pidFiles.resolve("client.pid"))).contains(client.pid());

      assertThat(client.stop()).as(client.output()).isEqualTo(0);
      assertThat(server.stop()).as(server.output()).isEqualTo(0);
      assertThat(server.output()).contains("client connected").contains("client disconnected");
    }
  }

  @Test
  void aRouteFileAddedEditedAndDeletedInARunningClientCarriesDnsLive() throws Exception {
    Dns.requirePrograms();
    int firstDns = FreePorts.udp();
    int secondDns = FreePorts.udp();
    int wsPort = FreePorts.tcp();
    int tunnelPort = FreePorts.udp();
    Configs.write(
        dir,
        "server.yaml",
        "server:\n  listen: 127.0.0.1:%d\n  allow: [\"127.0.0.1:%d\", \"127.0.0.1:%d\"]\n"
            .formatted(wsPort, firstDns, secondDns));
    Configs.write(
        dir,
        "client.yaml",
        "client:\n  server: ws://127.0.0.1:%d/sudp\n  instances-dir: routes.d\n".formatted(wsPort));
    Path routes = Files.createDirectories(dir.resolve("routes.d"));
    try (RealProcess first = Dns.dnsmasq(dir, firstDns, "192.0.2.1");
        RealProcess second = Dns.dnsmasq(dir, secondDns, "192.0.2.2");
        RealProcess server =
            RealProcess.sudp(dir, "server", "server", "-c", dir.resolve("server.yaml").toString());
        RealProcess client =
            RealProcess.sudp(
                dir, "client", "client", "-c", dir.resolve("client.yaml").toString())) {
      Path file = routes.resolve("dns.camel.yaml");
      Files.writeString(file, dnsRoute(tunnelPort, firstDns));
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> Dns.dig(tunnelPort, "sudp.test", "A").equals("192.0.2.1"));

      Files.writeString(file, dnsRoute(tunnelPort, secondDns));
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> Dns.dig(tunnelPort, "sudp.test", "A").equals("192.0.2.2"));

      Files.delete(file);
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> !Dns.dig(tunnelPort, "sudp.test", "A").contains("192.0.2."));
      await() // the line may follow the tunnel's stop
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  client.output().contains("instance files in " + routes + " applied: 0 tunnels"));
      assertThat(client.stop()).as(client.output()).isEqualTo(0);
      assertThat(server.stop()).as(server.output()).isEqualTo(0);
    }
  }

  /** A route file declaring the tunnel {@code dns} from {@code port} to a DNS server. */
  private static String dnsRoute(int port, int dnsPort) {
    return """
        - templatedRoute:
            routeTemplateRef: sudp-client-tunnel
            routeId: dns
            parameters:
              - {name: listen, value: "127.0.0.1:%d"}
              - {name: destination, value: "127.0.0.1:%d"}
        """
        .formatted(port, dnsPort);
  }
}
