package io.sudp.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.testing.Configs;
import io.sudp.testing.FreePorts;
import io.sudp.testing.RealProcess;
import io.sudp.testing.UdpApp;
import io.sudp.testing.UdpEchoServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Servers that die, pause or start late, with real processes of the packaged jar. */
class RecoveryIT {
  @TempDir Path dir;

  private final List<RealProcess> processes = new ArrayList<>();
  private UdpEchoServer echo;
  private int wsPort;
  private int tunnelPort;

  @BeforeEach
  void configure() throws Exception {
    echo = new UdpEchoServer();
    wsPort = FreePorts.tcp();
    tunnelPort = FreePorts.udp();
    Configs.write(
        dir,
        "server.yaml",
        """
        server:
          listen: 127.0.0.1:%d
          keepalive: 500ms
          allow: ["%s"]
        """
            .formatted(wsPort, echo.address()));
    Configs.write(
        dir,
        "client.yaml",
        """
        client:
          server: ws://127.0.0.1:%d/sudp
          keepalive: 500ms
          queue:
            max-age: 1s
          tunnels:
            - name: echo
              listen: 127.0.0.1:%d
              destination: %s
        """
            .formatted(wsPort, tunnelPort, echo.address()));
  }

  @AfterEach
  void stopAll() throws Exception {
    for (RealProcess process : processes) {
      process.close();
    }
    echo.close();
  }

  private RealProcess start(String role, String... jvmOptions) throws IOException {
    return startWith(role, role + ".yaml", jvmOptions);
  }

  private RealProcess startWith(String role, String file, String... jvmOptions) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(jvmOptions));
    command.addAll(List.of("-jar", RealProcess.jar(), role, "-c", dir.resolve(file).toString()));
    RealProcess process = RealProcess.start(dir, role + processes.size(), command);
    processes.add(process);
    return process;
  }

  private boolean serverListening() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", wsPort), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void theSameApplicationSocketKeepsWorkingAcrossAServerKilledAndRestarted() throws Exception {
    RealProcess server = start("server");
    RealProcess client = start("client");
    try (UdpApp app = new UdpApp(tunnelPort)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> app.roundTrip(new byte[] {1}) != null);

      server.kill();
      app.send(new byte[] {2}); // waits in the client's queue, or is lost with the connection

      start("server");
      await().atMost(Duration.ofSeconds(60)).until(this::serverListening);
      long up = System.nanoTime();
      byte[] reply;
      do {
        app.send(new byte[] {3});
        reply = app.receive(100); // replies to {1} and {2} that come late are passed over
      } while ((reply == null || reply[0] != 3)
          && System.nanoTime() - up < TimeUnit.SECONDS.toNanos(10));
      long backAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - up);

      assertThat(reply)
          .as(
              "reply through the restarted server; client:%n%s%nserver:%n%s",
              client.output(), processes.get(processes.size() - 1).output())
          .containsExactly(3);
      // The client tries again within reconnect.max (1 s); the rest is a new server's first
      // connection and flow, which a loaded machine may take a few seconds over.
      assertThat(backAfterMillis).as("ms from server up to traffic flowing").isLessThan(5_000);
    }
  }

  @Test
  void aServerCrashUnderAStreamCostsNoMoreThanTheClientReportsAsUnconfirmed() throws Exception {
    RealProcess[] server = {start("server")};
    RealProcess client = start("client");
    long sent = 0;
    try (UdpApp app = new UdpApp(tunnelPort)) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> client.printed("tunnel echo:", "connected to"));
      for (int round = 0; round < 300; round++) {
        if (round == 100) {
          server[0].kill();
        } else if (round == 110) {
          server[0] = start("server");
        }
        for (int i = 0; i < 10; i++) {
          app.send(new byte[] {(byte) round, (byte) i});
          sent++;
        }
        for (int i = 0; i < 10 && app.receive(100) != null; i++) {
          // replies: only their flow matters here
        }
      }
      long total = sent;
      // The new server's start (a JVM, on a loaded machine) may outlast the rounds.
      await().atMost(Duration.ofSeconds(60)).until(() -> client.output().contains("reconnected"));
      assertThat(client.stop()).isEqualTo(0);
      assertThat(server[0].stop()).isEqualTo(0);
      long delivered = echo.received();
      long dropped =
          finalCount(client.output(), "client", "drops")
              + finalCount(server[0].output(), "server", "drops");
      long unconfirmed = finalCount(client.output(), "client", "unconfirmed ");
      assertThat(delivered + dropped).as("delivered + dropped").isLessThanOrEqualTo(total);
      assertThat(total)
          .as("sent is at most delivered + dropped + unconfirmed")
          .isLessThanOrEqualTo(delivered + dropped + unconfirmed);
    }
  }

  @Test
  void aClientStartedBeforeItsServerCarriesTrafficOnceTheServerIsUp() throws Exception {
    RealProcess client = start("client");
    await().atMost(Duration.ofSeconds(60)).until(() -> client.output().contains("cannot connect"));
    start("server");
    try (UdpApp app = new UdpApp(tunnelPort)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> app.roundTrip(new byte[] {7}) != null);
    }
    assertThat(client.output()).containsOnlyOnce("cannot connect");
  }

  @Test
  void aPausedServerIsDetectedByKeepaliveAndTrafficResumesWhenItWakes() throws Exception {
    RealProcess server = start("server");
    RealProcess client = start("client");
    try (UdpApp app = new UdpApp(tunnelPort)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> app.roundTrip(new byte[] {1}) != null);

      server.signal("STOP");
      long paused = System.nanoTime();
      await().atMost(Duration.ofSeconds(10)).until(() -> client.output().contains("is dead"));
      long detectedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - paused);
      server.signal("CONT");

      assertThat(detectedMillis)
          .as("ms to detect a silent server with 500 ms keepalive")
          .isLessThan(2_500);
      await().atMost(Duration.ofSeconds(30)).until(() -> app.roundTrip(new byte[] {2}) != null);
    }
  }

  @Test
  void datagramsOlderThanTheQueueAgeLimitAreDroppedAndCounted() throws Exception {
    RealProcess server = start("server");
    RealProcess client = start("client");
    try (UdpApp app = new UdpApp(tunnelPort)) {
      // Connected first: datagrams sent while it still connects could expire too (a slow start).
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> client.printed("tunnel echo:", "connected to"));
      // Sent once: a second copy still queued when the server dies would expire too.
      assertThat(app.sendOnceAndAwaitEcho(new byte[] {1})).containsExactly(1);
      long lostBefore = occurrences(client.output(), "; reconnecting");
      server.kill();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> occurrences(client.output(), "; reconnecting") > lostBefore);

      long sent = System.nanoTime();
      for (int i = 0; i < 10; i++) {
        app.send(new byte[] {9});
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> System.nanoTime() - sent > TimeUnit.MILLISECONDS.toNanos(1_500));
      long backBefore = occurrences(client.output(), "reconnected");
      start("server");
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> occurrences(client.output(), "reconnected") > backBefore);
      assertThat(app.roundTrip(new byte[] {2})).containsExactly(2);
    }
    assertThat(client.stop()).isEqualTo(0);
    assertThat(finalCount(client.output(), "client", "expired=")).isEqualTo(10);
  }

  @Test
  void aClientWithASmallHeapSurvivesABlastDuringAnOutage() throws Exception {
    RealProcess client = start("client", "-Xmx64m");
    await().atMost(Duration.ofSeconds(60)).until(() -> client.output().contains("cannot connect"));
    try (UdpApp app = new UdpApp(tunnelPort)) {
      byte[] datagram = new byte[1200];
      long interval = TimeUnit.SECONDS.toNanos(1) / 20_000;
      long next = System.nanoTime();
      for (int i = 0; i < 60_000; i++) { // 72 MB at 20,000/s: more than the heap, paced so the
        app.send(datagram); // client reads it all rather than the kernel dropping it
        next += interval;
        while (System.nanoTime() < next) {
          Thread.onSpinWait();
        }
      }
    }
    assertThat(client.isAlive()).isTrue();
    assertThat(client.stop()).isEqualTo(0);
    assertThat(client.output()).doesNotContain("java.lang.OutOfMemoryError");
    assertThat(finalCount(client.output(), "client", "queue_full=")).isPositive();
  }

  @Test
  void sigtermDrainsTheQueueBeforeTheConnectionCloses() throws Exception {
    int serverManagement = FreePorts.tcp();
    // Keepalives long enough that neither end gives up on the other while the server is paused.
    Configs.write(
        dir,
        "patient-server.yaml",
        """
        server:
          listen: 127.0.0.1:%d
          keepalive: 60s
          allow: ["%s"]
        management:
          listen: 127.0.0.1:%d
        """
            .formatted(wsPort, echo.address(), serverManagement));
    int management = FreePorts.tcp();
    Configs.write(
        dir,
        "patient-client.yaml",
        """
        management:
          listen: 127.0.0.1:%d
        client:
          server: ws://127.0.0.1:%d/sudp
          keepalive: 60s
          drain-timeout: 30s
          queue: {max-age: 60s}
          tunnels:
            - {name: echo, listen: "127.0.0.1:%d", destination: "%s"}
        """
            .formatted(management, wsPort, tunnelPort, echo.address()));
    RealProcess server = startWith("server", "patient-server.yaml");
    RealProcess client = startWith("client", "patient-client.yaml");
    try (UdpApp app = new UdpApp(tunnelPort)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> app.roundTrip(new byte[] {1}) != null);
      server.signal("STOP");
      byte[] datagram = new byte[1000];
      long interval = TimeUnit.SECONDS.toNanos(1) / 20_000;
      // Paced at 20,000/s until the TCP buffers are full and frames wait in the client's queue.
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                long next = System.nanoTime();
                for (int i = 0; i < 2_000; i++) {
                  app.send(datagram);
                  next += interval;
                  while (System.nanoTime() < next) {
                    Thread.onSpinWait();
                  }
                }
                return queueDepth(management) > 500; // not a burst in passing: the socket is full
              });
    }
    client.signal("TERM");
    await().atMost(Duration.ofSeconds(20)).until(() -> client.output().contains("shutting down"));
    server.signal("CONT");

    assertThat(client.awaitExit()).isEqualTo(0);
    Matcher drained =
        Pattern.compile("(\\d+) of (\\d+) queued frames sent before closing")
            .matcher(client.output());
    assertThat(drained.find()).as(client.output()).isTrue();
    assertThat(Long.parseLong(drained.group(2))).isPositive();
    assertThat(drained.group(1)).isEqualTo(drained.group(2));
    long clientSent = finalCount(client.output(), "client", "up ");
    // The client's last frames may still be in the server's socket buffer when the client exits;
    // on a loaded machine the server takes a while to read them, and a server stopped before that
    // never would.
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(serverStatus(serverManagement).getLong("datagrams"))
                    .as("forwarded by the server: %s", status(serverManagement).encode())
                    .isGreaterThanOrEqualTo(clientSent));
    assertThat(server.stop()).isEqualTo(0);
    assertThat(finalCount(server.output(), "server", "up "))
        .as("forwarded by the server: %s", server.output())
        .isEqualTo(clientSent);
    assertThat(finalCount(client.output(), "client", "shutdown=")).isZero();
  }

  private static int queueDepth(int management) throws Exception {
    return status(management).getJsonObject("client").getInteger("queue");
  }

  /** The server's upstream counts: {@code datagrams} forwarded, {@code bytes}. */
  private static io.vertx.core.json.JsonObject serverStatus(int management) throws Exception {
    return status(management)
        .getJsonObject("server")
        .getJsonObject("counts")
        .getJsonObject("upstream");
  }

  private static io.vertx.core.json.JsonObject status(int management) throws Exception {
    String status =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + management + "/status.json"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString())
            .body();
    return new io.vertx.core.json.JsonObject(status);
  }

  private static long occurrences(String output, String text) {
    return output.lines().filter(line -> line.contains(text)).count();
  }

  /**
   * A count from the "final counts" line a process logs when it stops, from the part of {@code
   * role} ("client" or "server"): {@code "expired="} for one drop cause, {@code "drops"} for all
   * drops together, {@code "unconfirmed "} and so on.
   */
  private static long finalCount(String output, String role, String label) {
    Matcher line = Pattern.compile("final counts: .*").matcher(output);
    assertThat(line.find()).as(output).isTrue();
    String part = line.group().substring(line.group().indexOf(role + ":"));
    int end = part.indexOf(" | ");
    part = end < 0 ? part : part.substring(0, end);
    if (label.equals("drops")) {
      long total = 0;
      Matcher drop = Pattern.compile("[a-z_]+=(\\d+)").matcher(part);
      while (drop.find()) {
        total += Long.parseLong(drop.group(1));
      }
      return total;
    }
    Matcher count = Pattern.compile(Pattern.quote(label) + "(\\d+)").matcher(part);
    return count.find() ? Long.parseLong(count.group(1)) : 0;
  }
}
