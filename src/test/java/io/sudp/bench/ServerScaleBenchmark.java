package io.sudp.bench;

import io.sudp.testing.FreePorts;
import io.sudp.testing.RealProcess;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One server process with many clients and many flows: heap per connection and per idle flow (class
 * histograms of the server process, each after a full collection), and paced round trips spread
 * over every flow against the same rate over a few flows and over raw UDP, to show whether
 * throughput or latency suffer when the NAT table is large. The clients are {@link ProtocolClient}s
 * in this JVM speaking the tunnel protocol directly, so 10,000 flows need no local UDP sockets.
 *
 * <pre>
 * java -cp target/sudp.jar:target/test-classes io.sudp.bench.ServerScaleBenchmark \
 *     [--clients 200] [--flows 10000] [--rate 10000] [--seconds 5] [--jvm "ARGS"]
 * </pre>
 */
public final class ServerScaleBenchmark {
  private ServerScaleBenchmark() {}

  public static void main(String[] args) throws Exception {
    int clients = BenchOptions.intOption(args, "--clients", 200);
    int flows = BenchOptions.intOption(args, "--flows", 10_000);
    int rate = BenchOptions.intOption(args, "--rate", 10_000);
    int seconds = BenchOptions.intOption(args, "--seconds", 5);
    String jvm = BenchOptions.option(args, "--jvm", "");
    Path dir = Files.createTempDirectory("sudp-scale");
    int ws = FreePorts.tcp();
    try (EchoTarget echo = new EchoTarget()) {
      Files.writeString(
          dir.resolve("server.yaml"),
          """
          server:
            listen: 127.0.0.1:%d
            allow: ["127.0.0.1:%d"]
            idle-timeout: 1h
            max-flows-per-connection: %d
          """
              .formatted(ws, echo.port(), Math.max(4096, flows / clients + 1)));
      List<String> command =
          new ArrayList<>(
              List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
      if (!jvm.isBlank()) {
        command.addAll(List.of(jvm.trim().split("\\s+")));
      }
      command.addAll(
          List.of(
              "-jar", RealProcess.jar(), "server", "-c", dir.resolve("server.yaml").toString()));
      try (RealProcess server = RealProcess.start(dir, "server", command);
          ProtocolClients pool = new ProtocolClients()) {
        InetSocketAddress destination = new InetSocketAddress("127.0.0.1", echo.port());
        ProtocolClient warm = pool.connectOnceListening(ws, server);
        pool.openFlows(List.of(warm), destination, 8); // the server's hot paths compiled first
        pool.pacedRoundTrips(List.of(warm), 8, rate, Math.max(seconds, 10));
        long idle = HeapHistogram.usedBytes(server.pid());
        List<ProtocolClient> connections = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
          connections.add(pool.connect(ws));
        }
        long connected = HeapHistogram.usedBytes(server.pid());
        long opened = System.nanoTime();
        pool.openFlows(connections, destination, flows);
        double openSeconds = (System.nanoTime() - opened) / 1e9;
        long withFlows = HeapHistogram.usedBytes(server.pid());

        long[] few = pool.pacedRoundTrips(connections.subList(0, 1), 8, rate, seconds);
        long[] all = pool.pacedRoundTrips(connections, flows, rate, seconds);
        long[] raw = LoadGenerator.pacedRoundTrips(destination, 64, rate, 8, seconds);

        System.out.printf(
            Locale.ROOT, "%nserver with %d connections and %d flows%n", clients, flows);
        System.out.printf(
            Locale.ROOT,
            "  %,d flows opened (one round trip each) in %.1f s%n",
            flows,
            openSeconds);
        System.out.printf(
            Locale.ROOT,
            "  heap in use: idle %.1f MiB, connected %.1f MiB, with flows %.1f MiB%n",
            idle / 1048576.0,
            connected / 1048576.0,
            withFlows / 1048576.0);
        System.out.printf(
            Locale.ROOT,
            "  heap per connection %,d bytes, per idle flow %,d bytes%n",
            (connected - idle) / clients,
            (withFlows - connected) / flows);
        System.out.printf(
            Locale.ROOT,
            "%n%-34s %12s %10s %10s%n",
            "64-byte round trips @" + rate + "/s",
            "delivered/s",
            "p50 µs",
            "p99 µs");
        row("raw UDP, 8 sockets", raw, seconds);
        row("tunnel, 1 connection, 8 flows", few, seconds);
        row("tunnel, " + clients + " connections, " + flows + " flows", all, seconds);
      }
    }
  }

  private static void row(String name, long[] sortedRtts, int seconds) {
    System.out.printf(
        Locale.ROOT,
        "%-34s %12.1f %10.1f %10.1f%n",
        name,
        (double) sortedRtts.length / seconds,
        Percentiles.of(sortedRtts, 50) / 1000.0,
        Percentiles.of(sortedRtts, 99) / 1000.0);
  }
}
