package io.sudp.bench;

import io.sudp.testing.RealProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * iperf2 (Debian's {@code iperf}), a UDP load generator no SUDP code wrote: its server as the sink
 * of one run and what it reports of it, its client as the sender. A server serves one run: iperf
 * 2.1.8's UDP server, after an unpaced run, did not take the next sender's datagrams as a new run.
 * Commands may run under a prefix, such as {@code ip netns exec NAME}.
 */
final class Iperf2 implements AutoCloseable {
  /** A server's line per run: {@code 0.0000-3.0012 sec ... 0.008 ms 123/45678 (0.27%)}. */
  private static final Pattern REPORT =
      Pattern.compile("([\\d.]+)-\\s*([\\d.]+) sec .*?(\\d+)/\\s*(\\d+) \\(");

  private final RealProcess server;

  private Iperf2(RealProcess server) {
    this.server = server;
  }

  /** What the server received of one run. */
  record Report(long lost, long total, double seconds) {
    long delivered() {
      return total - lost;
    }

    double deliveredPerSecond() {
      return delivered() / seconds;
    }

    double lostPercent() {
      return total == 0 ? 0.0 : 100.0 * lost / total;
    }

    String describe() {
      return String.format(
          Locale.ROOT, "%d of %d datagrams (%.1f %% lost)", delivered(), total, lostPercent());
    }
  }

  /** Whether iperf2 is installed here. */
  static boolean installed() {
    try {
      Process version = new ProcessBuilder("iperf", "-v").redirectErrorStream(true).start();
      return version.waitFor() == 0 || version.exitValue() == 1; // iperf -v exits 1 on some builds
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * An iperf2 UDP server on 127.0.0.1:{@code port} with a 4 MiB receive buffer, as a tunnel's,
   * listening when this returns.
   */
  static Iperf2 server(Path dir, List<String> prefix, int port) throws Exception {
    Iperf2 server =
        new Iperf2(
            RealProcess.start(
                dir,
                "iperf-server-" + port,
                command(
                    prefix,
                    "-s",
                    "-u",
                    "-B",
                    "127.0.0.1",
                    "-p",
                    String.valueOf(port),
                    "-l",
                    "65535",
                    "-w",
                    "4M")));
    try {
      server.server.awaitPrinted("Server listening", 1, Duration.ofSeconds(15));
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /**
   * The client sending {@code size}-byte datagrams to 127.0.0.1:{@code port} at {@code rate} (an
   * iperf2 {@code -b}: {@code 200M} bits/s or {@code 100000pps}) for {@code seconds}.
   */
  static RealProcess client(
      Path dir, List<String> prefix, int port, int size, String rate, int seconds)
      throws IOException {
    return RealProcess.start(
        dir,
        "iperf-client-" + port,
        command(
            prefix,
            "-c",
            "127.0.0.1",
            "-p",
            String.valueOf(port),
            "-u",
            "-l",
            String.valueOf(size),
            "-b",
            rate,
            "-t",
            String.valueOf(seconds)));
  }

  /**
   * One run: a server on 127.0.0.1:{@code serverPort}, the client sending to 127.0.0.1:{@code
   * targetPort} (the server's port, or a tunnel's to it) until it ends; what the server received.
   */
  static Report run(Path dir, int serverPort, int targetPort, int size, String rate, int seconds)
      throws Exception {
    try (Iperf2 server = server(dir, List.of(), serverPort)) {
      try (RealProcess client = client(dir, List.of(), targetPort, size, rate, seconds)) {
        client.awaitExit();
      }
      return server.report();
    }
  }

  /** What the server received of its run, once the run ended; waits up to 15 s for it. */
  Report report() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    List<Report> reports;
    while ((reports = all()).isEmpty()) {
      if (System.nanoTime() > deadline || !server.isAlive()) {
        throw new IllegalStateException("no iperf2 report:\n" + server.output());
      }
      Thread.sleep(100);
    }
    return reports.get(0);
  }

  private List<Report> all() throws IOException {
    List<Report> reports = new ArrayList<>();
    Matcher m = REPORT.matcher(server.output());
    while (m.find()) {
      reports.add(
          new Report(
              Long.parseLong(m.group(3)),
              Long.parseLong(m.group(4)),
              Double.parseDouble(m.group(2)) - Double.parseDouble(m.group(1))));
    }
    return reports;
  }

  private static List<String> command(List<String> prefix, String... arguments) {
    List<String> command = new ArrayList<>(prefix);
    command.add("iperf");
    command.addAll(List.of(arguments));
    return command;
  }

  @Override
  public void close() throws InterruptedException {
    server.close();
  }
}
