package io.sudp.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.process.PidFile;
import io.sudp.testing.Configs;
import io.sudp.testing.FreePorts;
import io.sudp.testing.LockHolder;
import io.sudp.testing.RealProcess;
import io.sudp.testing.UdpApp;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Daemon mode with the real jar: start in the background (a process that exits on an
 * OutOfMemoryError), status, a second start refused, debug switched at runtime, reload, Jolokia,
 * stop with the PID file gone, and a stale PID file; a warm-up before the start; a PID file that
 * cannot be written, or that a live process holds without naming itself; a foreground run with a
 * log file.
 */
class DaemonIT {
  @TempDir Path dir;
  private Path config;
  private Path pidFile;
  private Path logFile;
  private int management;
  private int tunnelPort;
  private int ws;
  private int echo;
  private int command;

  @BeforeEach
  void writeConfig() throws Exception {
    management = FreePorts.tcp();
    tunnelPort = FreePorts.udp();
    ws = FreePorts.tcp();
    echo = FreePorts.udp();
    pidFile = dir.resolve("run").resolve("demo.pid");
    Files.createDirectories(pidFile.getParent());
    logFile = dir.resolve("demo.log");
    config = dir.resolve("demo.yaml");
    Files.writeString(config, yaml(""));
  }

  private String yaml(String moreTunnels) {
    return """
        name: demo
        daemon:
          pid-file: run/demo.pid
        logging:
          file: demo.log
        management:
          listen: 127.0.0.1:%d
        """
            .formatted(management)
        + Configs.loopbackTunnel(ws, tunnelPort, echo)
        + moreTunnels;
  }

  @AfterEach
  void stopWhatIsLeft() throws Exception {
    Optional<ProcessHandle> left = livePid().flatMap(ProcessHandle::of);
    left.ifPresent(ProcessHandle::destroyForcibly);
  }

  private Optional<Long> livePid() {
    return PidFile.readPid(pidFile);
  }

  /** Runs {@code sudp ARGS -c config} to its end; its output. */
  private String sudp(String... arguments) throws Exception {
    return sudp(Map.of(), arguments);
  }

  /** As {@link #sudp(String...)}, with {@code environment} added to the process's. */
  private String sudp(Map<String, String> environment, String... arguments) throws Exception {
    String[] all = new String[arguments.length + 2];
    System.arraycopy(arguments, 0, all, 0, arguments.length);
    all[arguments.length] = "-c";
    all[arguments.length + 1] = config.toString();
    RealProcess process = RealProcess.sudp(dir, "cli-" + command++, environment, all);
    int status = process.awaitExit();
    return process.output() + "exit " + status;
  }

  /** Whether the management port on {@code port} says the instance is ready. */
  private static boolean ready(int port) throws Exception {
    return new JsonObject(http("GET", port, "/health/ready")).getString("state").equals("UP");
  }

  private static String http(String method, int port, String path) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .method(method, HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return response.body();
  }

  /** {@code sudp ARGS -c config} as a process that ignores SIGHUP starts it ({@code nohup}). */
  private RealProcess underNohup(String name, String... arguments) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "nohup",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                RealProcess.jar()));
    command.addAll(List.of(arguments));
    command.addAll(List.of("-c", config.toString()));
    return RealProcess.start(dir, name, command);
  }

  /**
   * The JVM installs no SIGHUP handler in a process that inherited SIGHUP ignored (nohup, some CI
   * runners): a reload was lost without a word. A foreground run says so at start and reload says
   * so too; a daemon started from there gets SIGHUP back and reloads.
   */
  @Test
  void reloadIsNotLostWhereSighupIsIgnored() throws Exception {
    RealProcess foreground = underNohup("nohup-run", "run", "--no-interactive");
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions() // refused until it listens
          .until(() -> ready(management));
      assertThat(sudp("reload"))
          .contains("ignores SIGHUP")
          .contains("not reloaded")
          .endsWith("exit 1");
      await() // a log line of another process
          .atMost(Duration.ofSeconds(30))
          .until(() -> foreground.output().contains("SIGHUP is ignored by this process"));
      assertThat(sudp("stop")).contains("stopped").endsWith("exit 0");
      assertThat(foreground.awaitExit()).isEqualTo(0);
    } finally {
      foreground.close();
    }

    RealProcess start = underNohup("nohup-start", "start");
    assertThat(start.awaitExit()).as(start.output()).isEqualTo(0);
    reloadWithATunnelAdded();
    assertThat(sudp("stop")).contains("stopped").endsWith("exit 0");
  }

  /**
   * Adds a tunnel named added to the file, reloads the running instance and waits until its log
   * says the tunnel listens; its port.
   */
  private int reloadWithATunnelAdded() throws Exception {
    int added = FreePorts.udp();
    Files.writeString(
        config,
        yaml(
            """
            - {name: added, listen: "127.0.0.1:%d", destination: "127.0.0.1:%d"}
        """
                .formatted(added, echo)));
    assertThat(sudp("reload")).contains("reloads its configuration").endsWith("exit 0");
    await()
        .atMost(Duration.ofSeconds(30))
        .alias("the daemon's log, here on failure")
        .untilAsserted(
            () ->
                assertThat(Files.readString(logFile))
                    .contains("tunnel added: udp 127.0.0.1:" + added));
    return added;
  }

  @Test
  void startStatusRefuseDebugReloadStop() throws Exception {
    Files.writeString(config, "warm-up: 1s\n" + yaml(""));
    // Meant for the instance: had the warm-up's own tunnel taken them, its client would have
    // sought its server where the instance's would listen only later, and nothing come back.
    Map<String, String> environment =
        Map.of(
            "SUDP_SERVER_PATH",
            "/elsewhere",
            "SUDP_CLIENT_SERVER",
            "ws://127.0.0.1:" + ws + "/elsewhere");
    assertThat(sudp(environment, "start"))
        .contains("instance 'demo' started (pid")
        .endsWith("exit 0");
    long pid = livePid().orElseThrow();
    assertThat(ProcessHandle.of(pid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
    assertThat(Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).split("\0"))
        .contains("-XX:+ExitOnOutOfMemoryError");

    assertThat(sudp("start"))
        .contains("instance 'demo' is already running (pid " + pid)
        .endsWith("exit 1");
    assertThat(sudp("run"))
        .contains("instance 'demo' is already running (pid " + pid)
        .endsWith("exit 1");

    try (UdpApp app = new UdpApp(tunnelPort)) {
      await().atMost(Duration.ofSeconds(20)).until(() -> ready(management));
      assertThat(app.roundTrip("one".getBytes(StandardCharsets.UTF_8))).asString().isEqualTo("one");
      assertThat(sudp("status"))
          .contains("instance 'demo': running, pid " + pid)
          .contains("client connected")
          .contains("127.0.0.1:" + tunnelPort + " -> 127.0.0.1:" + echo)
          .endsWith("exit 0");

      assertThat(sudp("debug", "on")).contains("debug on").endsWith("exit 0");
      try (UdpApp newSender = new UdpApp(tunnelPort)) {
        newSender.roundTrip(new byte[] {(byte) 0xca, (byte) 0xfe});
      }
      await()
          .atMost(Duration.ofSeconds(30)) // the daemon's log, written by another process
          .until(
              () ->
                  Files.readString(logFile).contains("to /127.0.0.1:" + echo + ": 2 bytes: ca fe"));
      assertThat(Files.readString(logFile)).contains("io.sudp.flows - tunnel echo: flow");
      assertThat(sudp("debug", "off")).contains("debug off").endsWith("exit 0");

      String jolokia = http("GET", management, "/jolokia/read/io.sudp:type=Client,name=demo");
      assertThat(jolokia).contains("\"Connected\":true").contains("\"status\":200");
      assertThat(
              http(
                  "GET",
                  management,
                  "/jolokia/read/org.apache.camel:context=sudp,type=routes,name=%22sudp-client-echo%22"
                      + "/ExchangesTotal"))
          .contains("\"status\":200");
    }

    int added = reloadWithATunnelAdded();
    try (UdpApp app = new UdpApp(added)) {
      assertThat(app.roundTrip("two".getBytes(StandardCharsets.UTF_8))).asString().isEqualTo("two");
    }
    assertThat(Files.readString(logFile))
        .as("warmed up before the start, quietly, through a tunnel of its own")
        .contains("warming up the data path for 1000 ms")
        .containsPattern(
            "warmed up in \\d+ ms: \\d+ datagrams through a loopback tunnel, [1-9]\\d* came back")
        .contains("changed but only applied by a restart: warm-up")
        .doesNotContain("sudp-warm-up")
        .containsOnlyOnce("WebSocket server listening");

    Files.writeString(
        config, yaml("    - {name: broken, listen: nowhere, destination: \"127.0.0.1:9\"}\n"));
    assertThat(sudp("status"))
        .as("an edit that breaks the file does not hide the instance running on the last one")
        .contains(config + ":")
        .contains("not valid (above); a running instance keeps the configuration it last accepted")
        .contains("instance 'demo': running, pid " + pid)
        .endsWith("exit 0");

    assertThat(sudp("stop"))
        .contains("instance 'demo' stopped (pid " + pid + ")")
        .endsWith("exit 0");
    assertThat(pidFile).doesNotExist();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
    assertThat(Files.readString(logFile))
        .contains("final counts")
        .contains("closed by the client (1000 client shutting down)")
        .doesNotContain("the JVM runs without -XX:+ExitOnOutOfMemoryError");
    assertThat(sudp("status")).contains("no live PID file").endsWith("exit 3");
    assertThat(sudp("stop")).contains("is not running").endsWith("exit 0");
  }

  /**
   * Signals that come while an instance warms up: a reload is applied once it runs (the JVM's
   * default would have ended it), a stop ends it at once with status 0, its PID file and the
   * warm-up's files gone, without starting the instance.
   */
  @Test
  void signalsWhileWarmingUpAreActedOn() throws Exception {
    Path scratch = Files.createDirectories(dir.resolve("tmp"));
    Path warming = dir.resolve("warming.yaml");
    Files.writeString(warming, "warm-up: 3s\n" + Configs.loopbackTunnel(ws, tunnelPort, echo));
    List<String> jvm = List.of("-Djava.io.tmpdir=" + scratch);
    RealProcess run =
        RealProcess.sudp(dir, "warming", jvm, "run", "--no-interactive", "-c", warming.toString());
    try {
      run.awaitPrinted("warming up the data path for 3000 ms", 1, Duration.ofSeconds(60));
      int added = FreePorts.udp();
      Files.writeString(
          warming,
          "warm-up: 3s\n"
              + Configs.loopbackTunnel(ws, tunnelPort, echo)
              + "    - {name: added, listen: \"127.0.0.1:%d\", destination: \"127.0.0.1:%d\"}\n"
                  .formatted(added, echo));
      run.signal("HUP");
      run.awaitPrinted("tunnel added: udp 127.0.0.1:" + added, 1, Duration.ofSeconds(90));
      try (UdpApp app = new UdpApp(added)) {
        assertThat(app.roundTrip("hup".getBytes(StandardCharsets.UTF_8)))
            .asString()
            .isEqualTo("hup");
      }
      assertThat(run.stop()).isEqualTo(0);
    } finally {
      run.close();
    }

    Files.writeString(warming, "warm-up: 1m\n" + Configs.loopbackTunnel(ws, tunnelPort, echo));
    RealProcess stopped =
        RealProcess.sudp(dir, "stopped", jvm, "run", "--no-interactive", "-c", warming.toString());
    try {
      stopped.awaitPrinted("warming up the data path for 60000 ms", 1, Duration.ofSeconds(60));
      assertThat(stopped.stop()).as(stopped.output()).isEqualTo(0);
      assertThat(stopped.output())
          .containsPattern("stopping, as asked (meanwhile|while warming up)")
          .doesNotContain("instance 'warming' (pid");
      assertThat(RealProcess.runtimeDirectory(dir).resolve("sudp").resolve("warming.pid"))
          .doesNotExist();
      try (var left = Files.list(scratch)) {
        assertThat(left.map(Path::getFileName).map(Path::toString))
            .noneMatch(name -> name.startsWith("sudp-warm-up"));
      }
    } finally {
      stopped.close();
    }
  }

  @Test
  void aStalePidFileIsReplaced() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Files.writeString(pidFile, gone.pid() + "\n");

    assertThat(sudp("status")).contains("no live PID file").endsWith("exit 3");
    assertThat(sudp("start")).contains("started").endsWith("exit 0");
    assertThat(livePid()).isPresent().isNotEqualTo(Optional.of(gone.pid()));
    assertThat(Files.readString(logFile))
        .contains("replaced the stale PID file " + pidFile + " (pid " + gone.pid());
    assertThat(sudp("stop")).contains("stopped").endsWith("exit 0");
    assertThat(pidFile).doesNotExist();
  }

  @Test
  void aStartThatFailsSaysWhy() throws Exception {
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(management, 1, java.net.InetAddress.getLoopbackAddress())) {
      assertThat(sudp("start"))
          .contains("instance 'demo' did not start")
          .contains("management.listen 127.0.0.1:" + management + ": Address already in use")
          .endsWith("exit 1");
    }
    assertThat(pidFile).doesNotExist();
  }

  @Test
  void aPidFileThatCannotBeWrittenStopsTheStartAndIsNotLeftBehind() throws Exception {
    Files.createSymbolicLink(pidFile, Path.of("/dev/full")); // each write: No space left on device
    String why =
        "instance 'demo' did not start: cannot write the PID file "
            + pidFile
            + ": No space left on device";
    assertThat(sudp("start")).contains(why).endsWith("exit 1");
    assertThat(Files.exists(pidFile, LinkOption.NOFOLLOW_LINKS)).isFalse();

    Files.createSymbolicLink(pidFile, Path.of("/dev/full"));
    assertThat(sudp("run")).contains(why).endsWith("exit 1");
    assertThat(Files.exists(pidFile, LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(sudp("status")).contains("no live PID file").endsWith("exit 3");
  }

  @Test
  void aPidFileHeldWithoutAPidIsNotTakenForAnInstanceThatDoesNotRun() throws Exception {
    String found =
        "instance 'demo': running, but its PID file "
            + pidFile
            + " is empty while a live process holds it";
    try (LockHolder holder = LockHolder.hold(pidFile, dir)) {
      assertThat(sudp("status")).contains(found).endsWith("exit 1");
      assertThat(sudp("stop"))
          .contains(found + " (`fuser -v " + pidFile + "` names the process); not stopped")
          .endsWith("exit 1");
      assertThat(sudp("reload")).contains(found).contains("; not reloaded").endsWith("exit 1");
      assertThat(sudp("start")).contains(found).contains("; not started").endsWith("exit 1");
      assertThat(holder.isAlive()).isTrue();
    }
    assertThat(sudp("stop")).contains("is not running").endsWith("exit 0");
  }

  @Test
  void aForegroundRunWithALogFileSaysWhereItLogsAndShowsWarningsOnly() throws Exception {
    try (RealProcess run = RealProcess.sudp(dir, "foreground", "run", "-c", config.toString())) {
      await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> ready(management));
      // RealProcess runs java without -XX:+ExitOnOutOfMemoryError: a warning at start
      assertThat(run.output())
          .contains("sudp: logging to " + logFile + "\n")
          .contains(" WARN ")
          .contains("the JVM runs without -XX:+ExitOnOutOfMemoryError")
          .doesNotContain(" INFO ");
      assertThat(Files.readString(logFile))
          .contains(" INFO ")
          .contains("the JVM runs without -XX:+ExitOnOutOfMemoryError");
      assertThat(run.stop()).isZero();
    }
  }
}
