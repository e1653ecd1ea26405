package io.sudp.bench;

import io.sudp.testing.RealProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Head-of-line blocking between the flows of one client, on a lossy path: the client and the server
 * (the packaged jar) in two network namespaces joined by a veth pair that drops packets at random
 * in both directions (nftables {@code numgen random}), a paced VoIP-like flow ({@link
 * LatencyProbe}, 50 datagrams/s) through one tunnel and iperf2's UDP bulk flow through another.
 * Measured with the two tunnels on the server's shared connection and with the bulk tunnel on a
 * connection of its own ({@code connection: bulk}), each without and with the bulk flow. Needs
 * root, iproute2, nftables and iperf (2).
 *
 * <pre>
 * sudo java -cp target/sudp.jar:target/test-classes io.sudp.bench.HeadOfLineBenchmark \
 *     [--loss-permille 10] [--bulk-rate 200M] [--seconds 20] [--rate 50]
 * </pre>
 */
public final class HeadOfLineBenchmark {
  private static final Pattern PROBE =
      Pattern.compile(
          "sent (\\d+) received (\\d+) p50 ([\\d.]+) p90 ([\\d.]+) p99 ([\\d.]+) max ([\\d.]+) ms");

  private HeadOfLineBenchmark() {}

  /** One measurement: the latency flow's figures and, with the bulk flow, what it delivered. */
  record Row(
      String connections,
      boolean bulk,
      int sent,
      int received,
      double p50,
      double p90,
      double p99,
      double max,
      String bulkDelivered) {
    String line() {
      return String.format(
          Locale.ROOT,
          "%-16s %-9s %6d %8d %8.2f %8.2f %8.2f %8.2f  %s",
          connections,
          bulk ? "running" : "none",
          sent,
          received,
          p50,
          p90,
          p99,
          max,
          bulkDelivered);
    }
  }

  public static void main(String[] args) throws Exception {
    int loss = BenchOptions.intOption(args, "--loss-permille", 10);
    String bulkRate = BenchOptions.option(args, "--bulk-rate", "200M");
    int seconds = BenchOptions.intOption(args, "--seconds", 20);
    int rate = BenchOptions.intOption(args, "--rate", 50);
    String unavailable = LossyPath.unavailable();
    if (unavailable != null) {
      System.out.println("head-of-line benchmark skipped: " + unavailable);
      return;
    }
    List<Row> rows = run(loss, bulkRate, seconds, rate);
    System.out.printf(
        Locale.ROOT,
        "%nLatency flow (%d datagrams/s, 160 B) with %.1f %% loss each way; bulk: iperf2 UDP"
            + " -b %s -l 1200%n",
        rate,
        loss / 10.0,
        bulkRate);
    System.out.printf(
        "%-16s %-9s %6s %8s %8s %8s %8s %8s  %s%n",
        "connections",
        "bulk flow",
        "sent",
        "received",
        "p50 ms",
        "p90 ms",
        "p99 ms",
        "max ms",
        "bulk delivered (iperf2 server)");
    rows.forEach(row -> System.out.println(row.line()));
  }

  /**
   * Measures the baseline without a tunnel and the four cases; the path and every process are gone
   * when it returns.
   */
  static List<Row> run(int lossPermille, String bulkRate, int seconds, int rate) throws Exception {
    Path dir = Files.createTempDirectory("sudp-hol");
    List<Row> rows = new ArrayList<>();
    try (LossyPath path = LossyPath.create(lossPermille);
        RealProcess server =
            start(
                dir,
                "server",
                path.server(),
                List.of(java(), "-jar", jar(), "run", "-c", serverConfig(dir, path).toString()))) {
      server.awaitPrinted("WebSocket server listening", 1, Duration.ofSeconds(60));
      // The baseline: the same flow straight to the echo across the lossy path, no tunnel; what
      // the path loses is missing from it rather than late.
      rows.add(
          row(
              "no tunnel",
              false,
              probe(dir, path, path.serverAddress() + ":7007", rate, seconds),
              null));
      for (String connection : new String[] {null, "bulk"}) {
        String mode = connection == null ? "one shared" : "bulk on its own";
        try (RealProcess client =
            start(
                dir,
                "client-" + (connection == null ? "shared" : connection),
                path.client(),
                List.of(
                    java(),
                    "-jar",
                    jar(),
                    "client",
                    "-c",
                    clientConfig(dir, path, connection).toString()))) {
          client.awaitPrinted(
              "connected to ws://", connection == null ? 1 : 2, Duration.ofSeconds(60));
          // Warm-up: both tunnels carry traffic (JIT, flows opened) before anything is measured.
          probe(dir, path, rate, 3);
          rows.add(row(mode, false, probe(dir, path, rate, seconds), null));
          try (Iperf2 sink =
                  Iperf2.server(dir, List.of("ip", "netns", "exec", path.server()), 5001);
              RealProcess bulk =
                  Iperf2.client(
                      dir,
                      List.of("ip", "netns", "exec", path.client()),
                      5001,
                      1200,
                      bulkRate,
                      seconds + 2)) {
            String measured = probe(dir, path, rate, seconds);
            bulk.awaitExit();
            rows.add(row(mode, true, measured, sink.report().describe()));
          }
        }
      }
    }
    return rows;
  }

  private static Row row(String mode, boolean bulk, String probe, String bulkDelivered) {
    Matcher m = PROBE.matcher(probe);
    if (!m.find()) {
      throw new IllegalStateException("the latency flow got nothing through: " + probe);
    }
    return new Row(
        mode,
        bulk,
        Integer.parseInt(m.group(1)),
        Integer.parseInt(m.group(2)),
        Double.parseDouble(m.group(3)),
        Double.parseDouble(m.group(4)),
        Double.parseDouble(m.group(5)),
        Double.parseDouble(m.group(6)),
        bulkDelivered == null ? "" : bulkDelivered);
  }

  /** The latency flow for {@code seconds} inside the client's namespace; its result line. */
  private static String probe(Path dir, LossyPath path, int rate, int seconds) throws Exception {
    return probe(dir, path, "127.0.0.1:5300", rate, seconds);
  }

  /** The latency flow to {@code target} for {@code seconds} in the client's namespace. */
  private static String probe(Path dir, LossyPath path, String target, int rate, int seconds)
      throws Exception {
    try (RealProcess probe =
        start(
            dir,
            "probe",
            path.client(),
            List.of(
                java(),
                "-cp",
                System.getProperty("java.class.path"),
                LatencyProbe.class.getName(),
                "--target",
                target,
                "--rate",
                String.valueOf(rate),
                "--seconds",
                String.valueOf(seconds)))) {
      probe.awaitExit();
      return probe.output().strip();
    }
  }

  private static RealProcess start(Path dir, String name, String namespace, List<String> command)
      throws IOException {
    List<String> inNamespace = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
    inNamespace.addAll(command);
    return RealProcess.start(dir, name, inNamespace);
  }

  private static Path serverConfig(Path dir, LossyPath path) throws IOException {
    return Files.writeString(
        dir.resolve("server.yaml"),
        """
        server:
          listen: %s:8080
          allow: ["%1$s:7007", "127.0.0.1:5001"]
        echo:
          listen: %1$s:7007
        """
            .formatted(path.serverAddress()));
  }

  private static Path clientConfig(Path dir, LossyPath path, String connection) throws IOException {
    return Files.writeString(
        dir.resolve("client-" + (connection == null ? "shared" : connection) + ".yaml"),
        """
        client:
          server: ws://%1$s:8080/sudp
          tunnels:
            - {name: voip, listen: "127.0.0.1:5300", destination: "%1$s:7007"}
            - {name: bulk, listen: "127.0.0.1:5001", destination: "127.0.0.1:5001"%2$s}
        """
            .formatted(
                path.serverAddress(), connection == null ? "" : ", connection: " + connection));
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static String jar() {
    return Path.of(RealProcess.jar()).toAbsolutePath().toString();
  }
}
