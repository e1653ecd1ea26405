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
 * Each row gives the server process's CPU per 1,000 round trips a second; {@code --sweep} raises
 * the rate over every flow, to find where the server stops keeping up.
 *
 * <pre>
 * java -cp target/sudp.jar:target/test-classes io.sudp.bench.ServerScaleBenchmark \
 *     [--clients 200] [--flows 10000] [--rate 10000] [--seconds 5] [--jvm "ARGS"] \
 *     [--sweep RATE,RATE,...]
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
    List<Integer> sweep = new ArrayList<>();
    for (String offered : BenchOptions.option(args, "--sweep", "").split(",")) {
      if (!offered.isBlank()) {
        sweep.add(Integer.parseInt(offered.trim()));
      }
    }
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

        long cpu = TunnelProcesses.cpuMicros(server);
        long[] few = pool.pacedRoundTrips(connections.subList(0, 1), 8, rate, seconds);
        long fewCpu = TunnelProcesses.cpuMicros(server) - cpu;
        cpu = TunnelProcesses.cpuMicros(server);
        long[] all = pool.pacedRoundTrips(connections, flows, rate, seconds);
        long allCpu = TunnelProcesses.cpuMicros(server) - cpu;
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
        header("64-byte round trips @" + rate + "/s");
        row("raw UDP, 8 sockets", raw, seconds, -1);
        row("tunnel, 1 connection, 8 flows", few, seconds, fewCpu);
        row("tunnel, " + clients + " connections, " + flows + " flows", all, seconds, allCpu);

        if (!sweep.isEmpty()) {
          header("over all " + flows + " flows, offered/s");
          for (int offered : sweep) {
            cpu = TunnelProcesses.cpuMicros(server);
            long[] rtts = pool.pacedRoundTrips(connections, flows, offered, seconds);
            long used = TunnelProcesses.cpuMicros(server) - cpu;
            boolean keptUp = rtts.length >= 0.99 * offered * seconds;
            row(offered + (keptUp ? "" : " (not kept up)"), rtts, seconds, used);
          }
        }
      }
    }
  }

  private static void header(String load) {
    System.out.printf(
        Locale.ROOT,
        "%n%-40s %12s %10s %10s %12s %14s%n",
        load,
        "delivered/s",
        "p50 µs",
        "p99 µs",
        "server CPU",
        "CPU per 1k/s");
  }

  /**
   * One load's figures; {@code cpuMicros}, the server's CPU time over it (negative: not the
   * server's), also as the share of one core per 1,000 round trips a second (a datagram each way).
   */
  private static void row(String name, long[] sortedRtts, int seconds, long cpuMicros) {
    double delivered = (double) sortedRtts.length / seconds;
    double cores = cpuMicros / (seconds * 1e6);
    System.out.printf(
        Locale.ROOT,
        "%-40s %12.1f %10.1f %10.1f %12s %14s%n",
        name,
        delivered,
        Percentiles.of(sortedRtts, 50) / 1000.0,
        Percentiles.of(sortedRtts, 99) / 1000.0,
        cpuMicros < 0 ? "" : String.format(Locale.ROOT, "%.0f %%", cores * 100),
        cpuMicros < 0 || delivered == 0
            ? ""
            : String.format(Locale.ROOT, "%.1f %%", cores * 100 / (delivered / 1000)));
  }
}
