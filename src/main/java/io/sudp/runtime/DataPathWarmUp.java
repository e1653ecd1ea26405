package io.sudp.runtime;

import io.sudp.config.HostPort;
import io.sudp.config.SudpConfig;
import io.sudp.ops.Failures;
import io.sudp.process.LogSetup;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Datagrams through a tunnel of its own before the configured tunnels start: a server, a client and
 * an echo on loopback in this JVM, with the shipped routes, the same kind of event loops and the
 * same codecs. The JIT compiles the data path while nothing waits for it. A process that meets a
 * burst in its first seconds otherwise runs it in interpreted code while its compiler threads take
 * the cores its event loops need, and the kernel drops what its listening socket cannot hold
 * (docs/performance.md, "The first seconds").
 *
 * <p>Nothing of it stays: its sockets, threads, Camel context and files are gone when {@link #run}
 * returns, and its counters are its own, not the instance's.
 */
public final class DataPathWarmUp {
  private static final Logger LOG = LoggerFactory.getLogger(DataPathWarmUp.class);

  /** The tunnel's name in the warm-up's own configuration. */
  private static final String TUNNEL = "warm-up";

  /** Datagrams sent before their replies are read: lone ones and read bursts, as traffic comes. */
  private static final int[] RUNS = {1, 8, 64};

  /** Both sizes the benchmarks use: small control traffic and full-size tunnelled packets. */
  private static final int[] SIZES = {64, 1200};

  /** How long a reply may take before the run goes on without it (the first ones are slow). */
  private static final int REPLY_WAIT_MILLIS = 200;

  /** How long the warm-up's tunnel may take to start carrying datagrams. */
  public static final Duration START_WAIT = Duration.ofSeconds(30);

  /**
   * What a warm-up did.
   *
   * @param stopped whether the process was asked to stop (SIGTERM, SIGINT) meanwhile: the warm-up
   *     ended early, and the instance must not start
   */
  public record Result(long sent, long echoed, Duration took, boolean stopped) {}

  /** Datagrams sent and come back. */
  private record Counts(long sent, long echoed) {}

  private DataPathWarmUp() {}

  /**
   * Runs a warm-up of {@code duration} (none if zero) and says how it went. One that fails costs
   * nothing but its time: the start goes on without it, with a warning.
   *
   * <p>Only for a process of its own, as the {@code sudp} command starts: the tunnel runs in a
   * Camel main of its own, which reads {@code application.properties} from the class path, and the
   * loggers log warnings only meanwhile (the tunnel's start and stop are none of the operator's
   * business).
   *
   * @return false if the process was asked to stop meanwhile: the instance must not start
   */
  public static boolean runAsConfigured(Duration duration) {
    if (duration.isZero()) {
      return true;
    }
    LOG.info("warming up the data path for {} ms", duration.toMillis());
    Result result;
    try (AutoCloseable quiet = LogSetup.warningsOnly()) {
      result = run(duration);
    } catch (Exception e) {
      if (shuttingDown()) { // what failed was the warm-up's tunnel, stopped by the JVM's hooks
        LOG.info("stopping, as asked while warming up");
        return false;
      }
      LOG.warn("no warm-up, starting without: {}", Failures.summary(e));
      return true;
    }
    LOG.info(
        "warmed up in {} ms: {} datagrams through a loopback tunnel, {} came back{}",
        result.took().toMillis(),
        result.sent(),
        result.echoed(),
        result.stopped() ? "; stopping, as asked meanwhile" : "");
    return !result.stopped();
  }

  /**
   * Starts a loopback tunnel, runs datagrams through it for {@code duration} from when the first
   * comes back, then stops it.
   *
   * @throws Exception if the tunnel could not start (no port, no file descriptor) or carried
   *     nothing within 30 s: the caller goes on without a warm-up
   */
  public static Result run(Duration duration) throws Exception {
    return run(duration, Path.of(System.getProperty("java.io.tmpdir")));
  }

  /** As {@link #run(Duration)}, with its files in a directory made in {@code scratch}. */
  static Result run(Duration duration, Path scratch) throws Exception {
    long start = System.nanoTime();
    Counts counts;
    Path dir = Files.createTempDirectory(scratch, "sudp-warm-up");
    try (LoopbackEcho echo = new LoopbackEcho()) {
      Path file = dir.resolve("warm-up.yaml");
      Files.writeString(file, configuration(freeTcpPort(), echo.port(), dir));
      // Not the environment: SUDP_SERVER_LISTEN or SUDP_SERVER_ALLOW meant for the instance would
      // move this server off loopback or let it reach more than its echo.
      SudpConfig config = SudpConfig.load(file, Map.of());
      try (TunnelRuntime runtime =
          new TunnelRuntime(config, EnumSet.of(Role.SERVER, Role.CLIENT))) {
        runtime.start();
        echo.start();
        long startDeadline = System.nanoTime() + START_WAIT.toNanos();
        // A stop asked meanwhile ends the warm-up at once; the process's own hooks wait for it.
        InetSocketAddress tunnel = listening(runtime, startDeadline, DataPathWarmUp::shuttingDown);
        counts =
            tunnel == null
                ? new Counts(0, 0)
                : send(tunnel, duration, startDeadline, DataPathWarmUp::shuttingDown);
      }
    } finally {
      deleteAll(dir);
    }
    return new Result(
        counts.sent(),
        counts.echoed(),
        Duration.ofNanos(System.nanoTime() - start),
        shuttingDown());
  }

  /** Whether the JVM is shutting down (SIGTERM, SIGINT): no hook can be added then. */
  private static boolean shuttingDown() {
    Thread probe = new Thread(() -> {});
    try {
      Runtime.getRuntime().addShutdownHook(probe);
      Runtime.getRuntime().removeShutdownHook(probe);
      return false;
    } catch (IllegalStateException shuttingDown) {
      return true;
    }
  }

  private static String configuration(int wsPort, int echoPort, Path dir) {
    return """
        name: sudp-warm-up
        daemon: {pid-file: %s}
        server:
          listen: 127.0.0.1:%d
          allow: ["127.0.0.1:%d"]
        client:
          server: ws://127.0.0.1:%d/sudp
          tunnels:
            - {name: %s, listen: "127.0.0.1:0", destination: "127.0.0.1:%d"}
        """
        .formatted(
            dir.resolve("warm-up.pid").toString().replace("\\", "/"),
            wsPort,
            echoPort,
            wsPort,
            TUNNEL,
            echoPort);
  }

  /** The tunnel's listening address, once its route runs (routes start in the background). */
  private static InetSocketAddress listening(
      TunnelRuntime runtime, long startDeadline, BooleanSupplier stopping)
      throws InterruptedException {
    while (!stopping.getAsBoolean()) {
      HostPort listen = runtime.client().listenAddress(TUNNEL);
      if (listen != null && listen.port() > 0) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), listen.port());
      }
      if (System.nanoTime() > startDeadline) {
        throw new IllegalStateException("the warm-up's tunnel did not start listening");
      }
      Thread.sleep(10);
    }
    return null;
  }

  /**
   * Datagrams through {@code tunnel}: one at a time until the first comes back (the client connects
   * on the first datagram, which in a busy fresh process can take seconds), then runs of them for
   * {@code duration}, each run's replies read before the next; until a stop is asked.
   */
  private static Counts send(
      InetSocketAddress tunnel, Duration duration, long startDeadline, BooleanSupplier stopping)
      throws IOException {
    long sent = 0;
    long echoed = 0;
    byte[] reply = new byte[2048];
    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      socket.connect(tunnel);
      socket.setSoTimeout(REPLY_WAIT_MILLIS);
      while (echoed == 0 && !stopping.getAsBoolean()) {
        if (System.nanoTime() > startDeadline) {
          throw new IllegalStateException("the warm-up's tunnel carried nothing");
        }
        socket.send(new DatagramPacket(new byte[SIZES[0]], SIZES[0]));
        sent++;
        echoed += receive(socket, reply, 1);
      }
      long deadline = System.nanoTime() + duration.toNanos();
      for (int round = 0; System.nanoTime() < deadline && !stopping.getAsBoolean(); round++) {
        int run = RUNS[round % RUNS.length];
        byte[] datagram = new byte[SIZES[(round / RUNS.length) % SIZES.length]];
        for (int i = 0; i < run; i++) {
          socket.send(new DatagramPacket(datagram, datagram.length));
        }
        sent += run;
        echoed += receive(socket, reply, run);
      }
    }
    return new Counts(sent, echoed);
  }

  /** Up to {@code count} replies, fewer if one is late (lost, or still early): how many came. */
  private static int receive(DatagramSocket socket, byte[] buffer, int count) throws IOException {
    int received = 0;
    try {
      while (received < count) {
        socket.receive(new DatagramPacket(buffer, buffer.length));
        received++;
      }
    } catch (SocketTimeoutException late) {
      // the next run goes on
    }
    return received;
  }

  private static int freeTcpPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void deleteAll(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
