package io.sudp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.runtime.Role;
import io.sudp.runtime.TunnelRuntime;
import io.sudp.testing.Configs;
import io.sudp.testing.FreePorts;
import io.sudp.testing.Runtimes;
import io.sudp.testing.UdpApp;
import io.sudp.testing.UdpEchoServer;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sudp status} and {@code sudp health} against a running client, as an operator runs them.
 */
class StatusCommandTest {
  @TempDir Path dir;

  private static String[] run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Sudp.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new String[] {
      String.valueOf(code),
      out.toString(StandardCharsets.UTF_8),
      err.toString(StandardCharsets.UTF_8)
    };
  }

  @Test
  void statusShowsTheRunningTunnelAndHealthTracksTheServer() throws Exception {
    int ws = FreePorts.tcp();
    int tunnelPort = FreePorts.udp();
    String yaml =
        """
        management:
          listen: 127.0.0.1:%d
        client:
          server: ws://127.0.0.1:%d/sudp
          tunnels:
            - {name: echo, listen: "127.0.0.1:%d", destination: "%%s"}
        """
            .formatted(FreePorts.tcp(), ws, tunnelPort);
    try (UdpEchoServer echo = new UdpEchoServer();
        TunnelRuntime server = Runtimes.server(dir, ws, echo.address());
        TunnelRuntime client =
            Runtimes.start(Role.CLIENT, dir, "client.yaml", yaml.formatted(echo.address()));
        UdpApp app = new UdpApp(tunnelPort)) {
      String file = Configs.write(dir, "client.yaml", yaml.formatted(echo.address())).toString();
      await().until(() -> run("health", "-c", file)[0].equals("0"));
      // Sent once: the counts below are exact.
      assertThat(app.sendOnceAndAwaitEcho(new byte[] {1, 2, 3})).containsExactly(1, 2, 3);

      String[] table = run("status", "-c", file);
      assertThat(table[0]).isEqualTo("0");
      assertThat(table[1].lines())
          .anySatisfy(
              line ->
                  assertThat(line)
                      .startsWith("client connected")
                      .containsPattern(" 1 +\\d+ +\\d+ +3B +3B +0 +0$"))
          .anySatisfy(
              line ->
                  assertThat(line)
                      .startsWith("  echo              Started      1")
                      .endsWith(
                          "3B      3B     0  127.0.0.1:" + tunnelPort + " -> " + echo.address()));

      String[] json = run("status", "-c", file, "--json");
      JsonObject status = new JsonObject(json[1]);
      assertThat(status.getJsonObject("client").getBoolean("connected")).isTrue();
      assertThat(
              status
                  .getJsonObject("client")
                  .getJsonObject("counts")
                  .getJsonObject("upstream")
                  .getLong("datagrams"))
          .isEqualTo(1);
      assertThat(
              status
                  .getJsonObject("client")
                  .getJsonArray("tunnels")
                  .getJsonObject(0)
                  .getJsonObject("traffic")
                  .getJsonObject("down")
                  .getLong("bytes"))
          .isEqualTo(3);

      server.close();
      await().until(() -> run("health", "-c", file)[0].equals("1"));
    }
  }
}
