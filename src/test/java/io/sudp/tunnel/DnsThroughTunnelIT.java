package io.sudp.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.process.PidFile;
import io.sudp.testing.Configs;
import io.sudp.testing.FreePorts;
import io.sudp.testing.RealProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
    String dnsmasq = RealProcess.program("dnsmasq", "dnsmasq");
    String dig = RealProcess.program("dig", "bind9-dnsutils");
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

    try (RealProcess dns =
            RealProcess.start(
                dir,
                "dnsmasq",
                List.of(
                    dnsmasq,
                    "--no-daemon",
                    "--conf-file=/dev/null",
                    "--port=" + dnsPort,
                    "--listen-address=127.0.0.1",
                    "--bind-interfaces",
                    "--no-resolv",
                    "--no-hosts",
                    "--user=" + user(),
                    "--address=/sudp.test/192.0.2.7",
                    "--txt-record=txt.sudp.test,carried by a websocket"));
        RealProcess server =
            RealProcess.sudp(dir, "server", "server", "-c", dir.resolve("server.yaml").toString());
        RealProcess client =
            RealProcess.sudp(
                dir, "client", "client", "-c", dir.resolve("client.yaml").toString())) {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> dig(dig, tunnelPort, "sudp.test", "A").equals("192.0.2.7"));

      for (int i = 0; i < 20; i++) {
        assertThat(dig(dig, tunnelPort, "host" + i + ".sudp.test", "A")).isEqualTo("192.0.2.7");
      }
      assertThat(dig(dig, tunnelPort, "txt.sudp.test", "TXT"))
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

  private static String dig(String dig, int port, String name, String type)
      throws IOException, InterruptedException {
    // Waits as a resolver does, and asks once more, as resolvers do: a loaded machine may take
    // more than a second to answer, or drop a datagram between sockets that were not read.
    Process process =
        new ProcessBuilder(
                dig,
                "@127.0.0.1",
                "-p",
                String.valueOf(port),
                name,
                type,
                "+short",
                "+time=5",
                "+tries=2")
            .redirectErrorStream(true)
            .start();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return "";
    }
    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
  }

  private static String user() {
    return System.getProperty("user.name");
  }
}
