package io.sudp.bench;

import io.sudp.testing.FreePorts;
import io.sudp.testing.ScratchDirectories;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Measures the tunnel against raw loopback UDP in one run: round trips per second and one-way
 * datagrams per second at several sizes, and round-trip latency percentiles at a fixed rate. The
 * server and the client run as separate processes of the packaged jar; the load generator and the
 * echo target run here.
 *
 * <pre>
 * mvn -q -DskipTests package
 * java -cp target/sudp.jar:target/test-classes io.sudp.bench.TunnelBenchmark [options]
 * </pre>
 *
 * Options: {@code --seconds N} per measurement (5), {@code --sizes 64,1200}, {@code --flows N} (8),
 * {@code --window N} datagrams in flight per flow (16), {@code --rate N} datagrams/s for the
 * latency run (5000), {@code --jvm "ARGS"} for the tunnel processes, {@code --management on|off}
 * (on: management ports scraped every second and Camel's JMX statistics on, as shipped; off:
 * neither), {@code --warm-up DURATION} the processes' {@code warm-up} (0s), {@code --json FILE},
 * {@code --sweep RATE,RATE,...} offered loads (datagrams/s in all, 64 bytes, spread over {@code
 * --sweep-flows N} paced flows, 4) for a throughput and latency curve, {@code --plot FILE.png} to
 * draw it, {@code --nginx on} to also measure a second client through the shipped nginx
 * configuration with TLS and Basic authentication (nginx, openssl and htpasswd installed; run from
 * the project directory), {@code --gso on} to also measure one-way throughput from a sender of
 * segmented runs ({@link SegmentedBlast}; epoll only), {@code --sequential N} round trips of 32
 * bytes one at a time (5000), {@code --iperf on|off} iperf2 rows (on when installed) with {@code
 * --iperf-paced RATE,...} datagrams/s (100000) besides unpaced. The latency runs are repeated
 * through two plain relay processes ({@link RelayChain}), in Java and in C: the floor for a
 * two-process tunnel on the machine. Sizes default to 64, 512 and 1200 bytes.
 */
public final class TunnelBenchmark {
  /** Rows comparing the tunnel through nginx (tunnel column) with the direct one (raw column). */
  private static final String NGINX = "nginx TLS: ";

  /** Rows measuring two plain relay processes ({@link RelayChain}) instead of the tunnel. */
  private static final String RELAYS = "2 relays: ";

  /** Rows measuring two C relays made for speed ({@link NativeRelay}) instead of the tunnel. */
  private static final String C_RELAYS = "2 C relays: ";

  /** The size of the sequential round trips: a small request, as DNS and game input are. */
  private static final int SEQUENTIAL_SIZE = 32;

  /** Seconds of the same traffic, paced or sequential, before each latency measurement. */
  private static final int LATENCY_WARMUP_SECONDS = 3;

  /** The first seconds after start: iperf2's rate, 1200-byte datagrams/s. */
  private static final int COLD_RATE = 20_000;

  /** The first seconds after start: how long iperf2 sends. */
  private static final int COLD_SECONDS = 3;

  private TunnelBenchmark() {}

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    List<Row> rows = new ArrayList<>();
    Path scratch = Files.createTempDirectory("sudp-bench-iperf");
    int iperfPort = options.iperf ? FreePorts.udp() : 0;
    try (EchoTarget echo = new EchoTarget();
        TunnelProcesses tunnel =
            TunnelProcesses.start(
                echo.port(), iperfPort, options.jvmArgs, options.management, options.warmUp);
        NginxTunnel nginx =
            options.nginx
                ? NginxTunnel.start(tunnel.serverPort(), echo.port(), options.jvmArgs)
                : null) {
      if (options.iperf) {
        rows.add(coldStart(scratch, iperfPort, tunnel.sinkEntryPort(), tunnel));
      }
      InetSocketAddress raw = new InetSocketAddress("127.0.0.1", echo.port());
      InetSocketAddress viaTunnel = tunnel.entry();
      long warmup = TimeUnit.SECONDS.toNanos(2);
      long measure = TimeUnit.SECONDS.toNanos(options.seconds);
      // Let the JIT compile the tunnel's hot paths before anything else is measured.
      for (InetSocketAddress entry :
          nginx == null ? List.of(viaTunnel) : List.of(viaTunnel, nginx.entry())) {
        LoadGenerator.roundTrips(
            entry, 64, options.flows, options.window, 0, TimeUnit.SECONDS.toNanos(10));
      }
      for (int size : options.sizes) {
        echo.echo(true);
        double rawRt =
            LoadGenerator.roundTrips(raw, size, options.flows, options.window, warmup, measure);
        double tunnelRt =
            LoadGenerator.roundTrips(
                viaTunnel, size, options.flows, options.window, warmup, measure);
        rows.add(new Row("round trips/s", size, rawRt, tunnelRt));
        if (nginx != null) {
          rows.add(
              new Row(
                  NGINX + "round trips/s",
                  size,
                  tunnelRt,
                  LoadGenerator.roundTrips(
                      nginx.entry(), size, options.flows, options.window, warmup, measure)));
        }
        echo.echo(false);
        double tunnelOneWay = oneWay(echo, viaTunnel, size, measure, LoadGenerator::blast);
        rows.add(
            new Row(
                "one-way datagrams/s",
                size,
                oneWay(echo, raw, size, measure, LoadGenerator::blast),
                tunnelOneWay));
        if (options.gso) {
          rows.add(
              new Row(
                  "GSO sender: one-way dg/s",
                  size,
                  oneWay(echo, raw, size, measure, SegmentedBlast::blast),
                  oneWay(echo, viaTunnel, size, measure, SegmentedBlast::blast)));
        }
        if (nginx != null) {
          rows.add(
              new Row(
                  NGINX + "one-way dg/s",
                  size,
                  tunnelOneWay,
                  oneWay(echo, nginx.entry(), size, measure, LoadGenerator::blast)));
        }
      }
      echo.echo(true);
      long[] rawLat = steadyLatencies(raw, options);
      long cpuBefore = tunnel.cpuMicros();
      long[] tunnelLat = steadyLatencies(viaTunnel, options);
      // the warm-up's round trips are in the CPU time too: paced, there are rate × its seconds
      long roundTrips = tunnelLat.length + (long) options.rate * LATENCY_WARMUP_SECONDS;
      rows.addAll(latencyRows("", options.rate, rawLat, tunnelLat));
      rows.add(new Row("latency samples", 64, rawLat.length, tunnelLat.length));
      rows.add(
          new Row(
              "CPU µs per round trip @" + options.rate + "/s",
              64,
              0,
              (tunnel.cpuMicros() - cpuBefore) / (double) roundTrips));
      long[] rawSequential = sequential(raw, options);
      rows.addAll(sequentialRows("", rawSequential, sequential(viaTunnel, options)));
      try (RelayChain relays = RelayChain.start(echo.port())) {
        rows.addAll(
            latencyRows(RELAYS, options.rate, rawLat, steadyLatencies(relays.entry(), options)));
        rows.addAll(sequentialRows(RELAYS, rawSequential, sequential(relays.entry(), options)));
      }
      try (RelayChain relays = RelayChain.startNative(echo.port())) {
        rows.addAll(
            latencyRows(C_RELAYS, options.rate, rawLat, steadyLatencies(relays.entry(), options)));
        rows.addAll(sequentialRows(C_RELAYS, rawSequential, sequential(relays.entry(), options)));
      } catch (IllegalStateException e) {
        System.out.println("no C relay rows: " + e.getMessage());
      }
      if (options.iperf) {
        rows.addAll(iperfRows(scratch, iperfPort, tunnel.sinkEntryPort(), options));
      }
      List<LoadPlot.Point> sweep = new ArrayList<>();
      for (int offered : options.sweep) {
        long kernelDrops = KernelUdpDrops.receiveBufferErrors();
        sweep.add(sweepPoint(raw, viaTunnel, offered, options.sweepFlows, options.seconds));
        System.out.printf(
            Locale.ROOT,
            "@%d/s: kernel receive-buffer drops %d; %s%n",
            offered,
            KernelUdpDrops.receiveBufferErrors() - kernelDrops,
            tunnel.drops());
        LoadPlot.Point point = sweep.get(sweep.size() - 1);
        rows.add(
            new Row(
                "delivered/s @" + offered + "/s",
                64,
                point.rawDelivered(),
                point.tunnelDelivered()));
        rows.add(new Row("p50 µs @" + offered + "/s", 64, point.rawP50(), point.tunnelP50()));
        rows.add(new Row("p99 µs @" + offered + "/s", 64, point.rawP99(), point.tunnelP99()));
      }
      if (options.plot != null && !sweep.isEmpty()) {
        LoadPlot.write(
            sweep,
            "SUDP tunnel vs raw loopback UDP: 64-byte round trips over "
                + options.sweepFlows
                + " paced flows, "
                + Runtime.getRuntime().availableProcessors()
                + " cores",
            options.plot);
        System.out.println("plot written to " + options.plot);
      }
    }
    ScratchDirectories.delete(scratch);
    print(rows);
    if (options.nginx) {
      System.out.println(
          "rows '"
              + NGINX.trim()
              + "': the raw UDP column is the direct tunnel, "
              + "the tunnel column the tunnel through nginx with TLS and Basic authentication");
    }
    System.out.println(
        "rows '"
            + C_RELAYS.trim()
            + "': the tunnel column is two relays in C (one thread, epoll, recvmmsg/sendmmsg), the"
            + " floor without a language runtime; rows 'sequential': one datagram of "
            + SEQUENTIAL_SIZE
            + " bytes in flight at a time; rows 'iperf2': iperf2's client sending, its server"
            + " counting what arrived, directly and through the tunnel (row 'first "
            + COLD_SECONDS
            + " s': the share lost in %, measured first, right after the tunnel processes"
            + " started)");
    System.out.println(
        "rows '"
            + RELAYS.trim()
            + "': the tunnel column is two plain UDP relay "
            + "processes in a row (no WebSocket, TCP, Camel or Netty), the floor of the latency a "
            + "two-process tunnel adds on this machine");
    if (options.json != null) {
      Files.writeString(options.json, json(rows, options));
      System.out.println("JSON written to " + options.json);
    }
  }

  /**
   * Paced round trips at {@code offered} datagrams/s in all, spread over {@code flows} flows: what
   * arrived, how fast.
   */
  private static LoadPlot.Point sweepPoint(
      InetSocketAddress raw, InetSocketAddress tunnel, int offered, int flows, int seconds)
      throws Exception {
    long[] rawLat = LoadGenerator.pacedRoundTrips(raw, 64, offered, flows, seconds);
    long[] tunnelLat = LoadGenerator.pacedRoundTrips(tunnel, 64, offered, flows, seconds);
    return new LoadPlot.Point(
        offered,
        (double) rawLat.length / seconds,
        (double) tunnelLat.length / seconds,
        Percentiles.of(rawLat, 50) / 1000.0,
        Percentiles.of(rawLat, 99) / 1000.0,
        Percentiles.of(tunnelLat, 50) / 1000.0,
        Percentiles.of(tunnelLat, 99) / 1000.0);
  }

  /** A sender that sends as fast as it can for a period. */
  private interface Blaster {
    long blast(InetSocketAddress target, int size, long nanos) throws Exception;
  }

  private static double oneWay(
      EchoTarget sink, InetSocketAddress target, int size, long nanos, Blaster blaster)
      throws Exception {
    blaster.blast(target, size, TimeUnit.SECONDS.toNanos(1)); // warm up
    long before = sink.received();
    long start = System.nanoTime();
    blaster.blast(target, size, nanos);
    long delivered = sink.received() - before;
    return delivered / ((System.nanoTime() - start) / 1e9);
  }

  /**
   * Round trips of 64-byte datagrams at the latency run's rate, once the paced pattern has run for
   * a few seconds: the windowed warm-up compiles other paths than one datagram per wake-up, and the
   * first seconds after it showed stalls of several milliseconds that later ones do not.
   */
  private static long[] steadyLatencies(InetSocketAddress target, Options options)
      throws Exception {
    LoadGenerator.pacedRoundTrips(target, 64, options.rate, 1, LATENCY_WARMUP_SECONDS);
    return LoadGenerator.pacedRoundTrips(target, 64, options.rate, 1, options.seconds);
  }

  /**
   * Sequential round trips after {@value #LATENCY_WARMUP_SECONDS} s of the same: as for the paced
   * latency, the windowed warm-up compiled the paths a burst takes, not those of one datagram per
   * wake-up, and the tunnel's median fell by more than a quarter over the first seconds of
   * sequential traffic.
   */
  private static long[] sequential(InetSocketAddress target, Options options) throws Exception {
    return LoadGenerator.sequentialRoundTrips(
        target,
        SEQUENTIAL_SIZE,
        options.sequential,
        TimeUnit.SECONDS.toNanos(LATENCY_WARMUP_SECONDS));
  }

  private static List<Row> sequentialRows(String prefix, long[] raw, long[] measured) {
    List<Row> rows = new ArrayList<>();
    for (double p : new double[] {50, 99, 99.9, 100}) {
      rows.add(
          new Row(
              prefix + "sequential " + (p == 100 ? "max" : "p" + trim(p)) + " µs",
              SEQUENTIAL_SIZE,
              Percentiles.of(raw, p) / 1000.0,
              Percentiles.of(measured, p) / 1000.0));
    }
    return rows;
  }

  /**
   * The tunnel right after it started, before anything warmed it up (the JIT compiles its paths
   * while it carries them): iperf2 sending {@value #COLD_SECONDS} s of 1200-byte datagrams at
   * {@value #COLD_RATE}/s through the second tunnel, and then directly; the share iperf2's server
   * did not receive, and where the kernel dropped them.
   */
  private static Row coldStart(Path dir, int sinkPort, int tunnelPort, TunnelProcesses tunnel)
      throws Exception {
    String rate = COLD_RATE + "pps";
    long kernelDrops = KernelUdpDrops.receiveBufferErrors();
    Iperf2.Report tunnelled = Iperf2.run(dir, sinkPort, tunnelPort, 1200, rate, COLD_SECONDS);
    long tunnelKernelDrops = KernelUdpDrops.receiveBufferErrors() - kernelDrops;
    Iperf2.Report direct = Iperf2.run(dir, sinkPort, sinkPort, 1200, rate, COLD_SECONDS);
    // read after the direct run: a process counts its socket's kernel drops within a second
    System.out.printf(
        Locale.ROOT,
        "first %d s after start, %d/s: %s through the tunnel; kernel receive-buffer drops %d; %s%n",
        COLD_SECONDS,
        COLD_RATE,
        tunnelled.describe(),
        tunnelKernelDrops,
        tunnel.drops());
    return new Row(
        "iperf2 lost % @" + COLD_RATE + "/s, first " + COLD_SECONDS + " s",
        1200,
        direct.lostPercent(),
        tunnelled.lostPercent());
  }

  /**
   * iperf2 one-way, directly to its server and through the tunnel's second tunnel: unpaced (iperf2
   * as fast as it sends, {@code -b 1000000pps}) and at each paced rate, per size.
   */
  private static List<Row> iperfRows(Path dir, int sinkPort, int tunnelPort, Options options)
      throws Exception {
    List<Row> rows = new ArrayList<>();
    Iperf2.run(dir, sinkPort, tunnelPort, 64, "10000pps", 2); // the sink tunnel's paths compiled
    for (int size : options.sizes) {
      List<String> rates = new ArrayList<>(List.of("1000000pps"));
      options.iperfPaced.forEach(rate -> rates.add(rate + "pps"));
      for (String rate : rates) {
        Iperf2.Report direct = Iperf2.run(dir, sinkPort, sinkPort, size, rate, options.seconds);
        Iperf2.Report tunnelled =
            Iperf2.run(dir, sinkPort, tunnelPort, size, rate, options.seconds);
        rows.add(
            new Row(
                "iperf2 one-way dg/s "
                    + (rate.equals("1000000pps") ? "unpaced" : "@" + rate.replace("pps", "/s")),
                size,
                direct.deliveredPerSecond(),
                tunnelled.deliveredPerSecond()));
      }
    }
    return rows;
  }

  private static List<Row> latencyRows(String prefix, int rate, long[] raw, long[] measured) {
    List<Row> rows = new ArrayList<>();
    for (double p : new double[] {50, 99, 99.9}) {
      rows.add(
          new Row(
              prefix + "latency p" + trim(p) + " µs @" + rate + "/s",
              64,
              Percentiles.of(raw, p) / 1000.0,
              Percentiles.of(measured, p) / 1000.0));
    }
    return rows;
  }

  private static String trim(double p) {
    return p == Math.rint(p) ? String.valueOf((long) p) : String.valueOf(p);
  }

  private static void print(List<Row> rows) {
    System.out.printf(
        Locale.ROOT,
        "%n%-40s %6s %14s %14s %8s%n",
        "measure",
        "bytes",
        "raw UDP",
        "tunnel",
        "ratio");
    for (Row row : rows) {
      boolean throughput =
          row.measure.contains("round")
              || row.measure.contains("one-way")
              || row.measure.startsWith("delivered");
      double mbit = throughput ? row.tunnel * row.size * 8 / 1e6 : 0;
      System.out.printf(
          Locale.ROOT,
          "%-40s %6d %14.1f %14.1f %8.2f%s%n",
          row.measure,
          row.size,
          row.raw,
          row.tunnel,
          row.ratio(),
          mbit > 0 ? String.format(Locale.ROOT, "   (tunnel %.1f Mbit/s payload)", mbit) : "");
    }
  }

  private static String json(List<Row> rows, Options options) {
    StringBuilder out =
        new StringBuilder("{\"machine\":{\"cores\":")
            .append(Runtime.getRuntime().availableProcessors())
            .append(",\"java\":\"")
            .append(System.getProperty("java.version"))
            .append("\"},")
            .append("\"options\":{\"seconds\":")
            .append(options.seconds)
            .append(",\"flows\":")
            .append(options.flows)
            .append(",\"window\":")
            .append(options.window)
            .append(",\"rate\":")
            .append(options.rate)
            .append(",\"management\":")
            .append(options.management)
            .append(",\"warmUp\":\"")
            .append(options.warmUp)
            .append("\"")
            .append(",\"nginx\":")
            .append(options.nginx)
            .append(",\"gso\":")
            .append(options.gso)
            .append("},\"results\":[");
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      out.append(i == 0 ? "" : ",")
          .append(
              String.format(
                  Locale.ROOT,
                  "{\"measure\":\"%s\",\"bytes\":%d,\"raw\":%.1f,\"tunnel\":%.1f,\"ratio\":%.3f}",
                  row.measure,
                  row.size,
                  row.raw,
                  row.tunnel,
                  row.ratio()));
    }
    return out.append("]}\n").toString();
  }

  private record Row(String measure, int size, double raw, double tunnel) {
    double ratio() {
      return raw == 0 ? 0 : tunnel / raw;
    }
  }

  private static final class Options {
    int seconds = 5;
    List<Integer> sizes = List.of(64, 512, 1200);
    int flows = 8;
    int window = 16;
    int rate = 5_000;
    String jvmArgs = "";
    boolean management = true;
    String warmUp = "0s";
    boolean nginx;
    boolean gso;
    int sequential = 5_000;
    boolean iperf = Iperf2.installed();
    List<Integer> iperfPaced = List.of(100_000);
    List<Integer> sweep = List.of();
    int sweepFlows = 4;
    Path json;
    Path plot;

    static Options parse(String[] args) {
      Options options = new Options();
      Map<String, String> values = new LinkedHashMap<>();
      for (int i = 0; i + 1 < args.length; i += 2) {
        values.put(args[i], args[i + 1]);
      }
      values.forEach(
          (key, value) -> {
            switch (key) {
              case "--seconds" -> options.seconds = Integer.parseInt(value);
              case "--sizes" ->
                  options.sizes =
                      java.util.Arrays.stream(value.split(",")).map(Integer::parseInt).toList();
              case "--flows" -> options.flows = Integer.parseInt(value);
              case "--window" -> options.window = Integer.parseInt(value);
              case "--rate" -> options.rate = Integer.parseInt(value);
              case "--jvm" -> options.jvmArgs = value;
              case "--management" -> options.management = value.equals("on");
              case "--warm-up" -> options.warmUp = value;
              case "--nginx" -> options.nginx = value.equals("on");
              case "--json" -> options.json = Path.of(value);
              case "--sweep" ->
                  options.sweep =
                      java.util.Arrays.stream(value.split(",")).map(Integer::parseInt).toList();
              case "--plot" -> options.plot = Path.of(value);
              case "--sweep-flows" -> options.sweepFlows = Integer.parseInt(value);
              case "--gso" -> options.gso = value.equals("on") && SegmentedBlast.available();
              case "--sequential" -> options.sequential = Integer.parseInt(value);
              case "--iperf" -> options.iperf = value.equals("on") && Iperf2.installed();
              case "--iperf-paced" ->
                  options.iperfPaced =
                      java.util.Arrays.stream(value.split(",")).map(Integer::parseInt).toList();
              default -> throw new IllegalArgumentException("unknown option " + key);
            }
          });
      return options;
    }
  }
}
