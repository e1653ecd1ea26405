package io.sudp.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.testing.Configs;
import io.sudp.testing.FreePorts;
import io.sudp.testing.RealProcess;
import io.sudp.testing.UdpApp;
import io.sudp.testing.UdpEchoServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live view, driven as a person would: the real jar in a real terminal (a tmux pane), traffic
 * through the tunnel, keys pressed; and the same command writing to a file, which must hold plain
 * lines only.
 */
class LiveViewIT {
  @TempDir Path dir;
  private final String socket = "sudp-live-view-" + ProcessHandle.current().pid();
  private UdpEchoServer echo;
  private RealProcess server;
  private Path clientConfig;
  private int tunnelPort;

  @BeforeEach
  void startServer() throws Exception {
    echo = new UdpEchoServer();
    int ws = FreePorts.tcp();
    tunnelPort = FreePorts.udp();
    Configs.write(dir, "server.yaml", Configs.server(ws, echo.address()));
    clientConfig =
        Configs.write(
            dir,
            "client.yaml",
            """
        client:
          server: ws://127.0.0.1:%d/sudp
          tunnels:
            - {name: echo, listen: "127.0.0.1:%d", destination: "%s"}
        """
                .formatted(ws, tunnelPort, echo.address()));
    server = RealProcess.sudp(dir, "server", "server", "-c", dir.resolve("server.yaml").toString());
  }

  @AfterEach
  void stopAll() throws Exception {
    tmux("kill-server");
    server.close();
    echo.close();
  }

  /** Runs tmux on this test's own server socket; its standard output. */
  private String tmux(String... arguments) throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(RealProcess.program("tmux", "tmux"), "-L", socket, "-f", "/dev/null"));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    process.waitFor(10, TimeUnit.SECONDS);
    return new String(output, StandardCharsets.UTF_8);
  }

  private String screen() throws Exception {
    return tmux("capture-pane", "-p", "-t", "view");
  }

  @Test
  void theViewShowsFlowsAndRatesMovingAndQuitsCleanlyOnQ() throws Exception {
    Path exit = dir.resolve("exit");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    tmux(
        "new-session",
        "-d",
        "-s",
        "view",
        "-x",
        "120",
        "-y",
        "32",
        "TERM=xterm-256color XDG_RUNTIME_DIR="
            + RealProcess.runtimeDirectory(dir)
            + " "
            + java
            + " -jar "
            + Path.of(RealProcess.jar()).toAbsolutePath()
            + " client -c "
            + clientConfig
            + "; echo EXIT=$? > "
            + exit);
    await().atMost(Duration.ofSeconds(60)).until(() -> screen().contains("client connected"));

    try (UdpApp first = new UdpApp(tunnelPort);
        UdpApp second = new UdpApp(tunnelPort);
        UdpApp third = new UdpApp(tunnelPort)) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                for (int i = 0; i < 20; i++) {
                  for (UdpApp app : List.of(first, second, third)) {
                    app.roundTrip(new byte[] {(byte) i});
                  }
                }
                return screen()
                    .lines()
                    .anyMatch(line -> line.matches("  echo +Started +3 +[1-9].*"));
              });
    }
    String screen = screen();
    assertThat(screen)
        .contains("sudp 'client'")
        .contains("-- log --")
        .contains("connected to ws://127.0.0.1");
    assertThat(screen.lines())
        .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(120));

    // A key reaches a JVM through tmux, which a loaded machine may take seconds over.
    tmux("send-keys", "-t", "view", "d");
    await().atMost(Duration.ofSeconds(30)).until(() -> screen().contains("debug ON"));
    tmux("send-keys", "-t", "view", "f");
    await().atMost(Duration.ofSeconds(30)).until(() -> screen().contains("FLOWS of tunnel echo"));
    tmux("send-keys", "-t", "view", "q");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Files.exists(exit) && Files.readString(exit).startsWith("EXIT="));
    assertThat(Files.readString(exit).trim()).isEqualTo("EXIT=0");
  }

  @Test
  void withoutATerminalTheOutputIsPlainLogLines() throws Exception {
    try (RealProcess client =
        RealProcess.sudp(dir, "plain", "client", "-c", clientConfig.toString())) {
      try (UdpApp app = new UdpApp(tunnelPort)) {
        await().atMost(Duration.ofSeconds(60)).until(() -> app.roundTrip(new byte[] {1}) != null);
      }
      assertThat(client.stop()).isEqualTo(0);
      assertThat(client.output())
          .contains("tunnel echo: udp")
          .contains("final counts")
          .doesNotContain("\u001b")
          .contains("Apache Camel")
          .doesNotContain("Case-insensitive headers is not in use");
    }

    try (RealProcess forced =
        RealProcess.sudp(dir, "forced", "client", "-c", clientConfig.toString(), "--interactive")) {
      assertThat(forced.awaitExit()).isEqualTo(2);
      assertThat(forced.output()).contains("--interactive needs a terminal");
    }
  }
}
