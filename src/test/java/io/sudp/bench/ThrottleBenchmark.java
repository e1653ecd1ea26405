package io.sudp.bench;

import io.sudp.ops.DropCause;
import io.sudp.ops.TrafficCounters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.api.management.mbean.ManagedRouteMBean;
import org.apache.camel.builder.AdviceWithRouteBuilder;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.camel.model.ThrottleDefinition;
import org.apache.camel.processor.ThrottlerRejectedExecutionException;
import org.apache.camel.util.function.ThrowingConsumer;

/**
 * A tunnel's rate limit, SUDP's ({@code max-datagrams-per-second}: a token bucket in the framing
 * step, per datagram) against Camel's Throttle EIP inserted at the start of the same tunnel route
 * ({@code AdviceWith}) at the same number, in each of its modes: what gets through, what happens to
 * the excess, the admitted datagrams' round trips, what a second tunnel of the same client (the
 * neighbour, 200 datagrams/s) sees meanwhile, and the CPU of the client's event loop, which runs
 * both tunnels' listeners and routes and the connection. Server, client, echo and load generator
 * run in this JVM.
 *
 * <pre>
 * java -cp target/sudp.jar:target/test-classes io.sudp.bench.ThrottleBenchmark \
 *     [--limit 1000] [--offered 4000] [--bursts 1,8] [--seconds 5]
 * </pre>
 */
public final class ThrottleBenchmark {
  private static final String LIMITED = "limited";
  private static final String NEIGHBOUR = "neighbour";
  private static final int NEIGHBOUR_RATE = 200;
  private static final int SIZE = 100;

  /** One way to limit the tunnel: its template parameter or the change to its route. */
  private enum Limit {
    NONE("no limit"),
    TOKEN_BUCKET("max-datagrams-per-second (SUDP, token bucket)"),
    DELAYING("Throttle EIP, TotalRequests mode (the default): excess waits"),
    ASYNC_DELAYED("Throttle EIP, TotalRequests, asyncDelayed: excess waits on a scheduler"),
    REJECTING("Throttle EIP, TotalRequests, rejectExecution: excess fails"),
    REJECTING_HANDLED("... and onException(ThrottlerRejectedExecutionException).handled(true)"),
    CONCURRENT("Throttle EIP, ConcurrentRequests mode");

    final String title;

    Limit(String title) {
      this.title = title;
    }

    InProcessTunnels.Tunnel tunnel(int limit) {
      return switch (this) {
        case NONE -> new InProcessTunnels.Tunnel(LIMITED);
        case TOKEN_BUCKET ->
            new InProcessTunnels.Tunnel(
                LIMITED, Map.of("max-datagrams-per-second", String.valueOf(limit)), null);
        default -> new InProcessTunnels.Tunnel(LIMITED, Map.of(), throttle(limit));
      };
    }

    private ThrowingConsumer<AdviceWithRouteBuilder, Exception> throttle(int limit) {
      return route -> {
        ThrottleDefinition step = route.weaveAddFirst().throttle(limit).timePeriodMillis(1_000);
        switch (this) {
          case ASYNC_DELAYED -> step.asyncDelayed();
          case REJECTING -> step.rejectExecution(true);
          case REJECTING_HANDLED -> {
            step.rejectExecution(true);
            route
                .getOriginalRoute()
                .getOutputs()
                .add(
                    0,
                    new OnExceptionDefinition(ThrottlerRejectedExecutionException.class)
                        .handled(true));
          }
          case CONCURRENT -> step.concurrentRequestsMode();
          default -> {}
        }
      };
    }
  }

  private ThrottleBenchmark() {}

  public static void main(String[] args) throws Exception {
    int limit = BenchOptions.intOption(args, "--limit", 1_000);
    int offered = BenchOptions.intOption(args, "--offered", 4_000);
    int seconds = BenchOptions.intOption(args, "--seconds", 5);
    List<Integer> bursts = new ArrayList<>();
    for (String burst : BenchOptions.option(args, "--bursts", "1,8").split(",")) {
      bursts.add(Integer.parseInt(burst.trim()));
    }
    System.out.printf(
        Locale.ROOT,
        "limit %,d datagrams/s; offered %,d datagrams/s of %d bytes for %d s; neighbour %d/s;"
            + " %d CPUs, Java %s%n",
        limit,
        offered,
        SIZE,
        seconds,
        NEIGHBOUR_RATE,
        Runtime.getRuntime().availableProcessors(),
        Runtime.version());
    try (LogVolume logs = new LogVolume()) {
      for (int burst : bursts) {
        for (Limit variant : Limit.values()) {
          run(variant, limit, offered, burst, seconds, logs);
        }
      }
    }
  }

  private static void run(
      Limit variant, int limit, int offered, int burst, int seconds, LogVolume logs)
      throws Exception {
    try (InProcessTunnels tunnels =
        new InProcessTunnels(
            List.of(variant.tunnel(limit), new InProcessTunnels.Tunnel(NEIGHBOUR)))) {
      StreamProbe warming = probe(tunnels, offered, burst, 2);
      Thread.sleep(2_000); // warming up: JIT, flows opened; then the token bucket refills
      warming.finish(1_000);
      CamelContext camel = tunnels.client();
      ManagedRouteMBean route =
          camel
              .getCamelContextExtension()
              .getContextPlugin(ManagedCamelContext.class)
              .getManagedRoute(LIMITED);
      TrafficCounters counters = tunnels.clientCounters();
      long heapBefore = JvmUsage.usedHeapAfterGc();
      long[] logsBefore = logs.counts();
      long rejectedBefore = route.getExchangesFailed() + route.getFailuresHandled();
      long exchangesBefore = route.getExchangesTotal();
      long rateLimitedBefore = counters.drops(DropCause.RATE_LIMITED);
      long kernelBefore = counters.drops(DropCause.RECEIVE_BUFFER_FULL);
      long loopBefore = tunnels.clientLoopCpuNanos();
      long start = System.nanoTime();

      StreamProbe limited = probe(tunnels, offered, burst, seconds);
      StreamProbe neighbour =
          new StreamProbe(tunnels.port(NEIGHBOUR), NEIGHBOUR_RATE, 1, SIZE, 0, seconds + 1);
      Thread.sleep(seconds * 1_000L); // the measurement's length, not a wait for a condition
      limited.stopSending();
      neighbour.stopSending();
      double elapsed = (System.nanoTime() - start) / 1e9;
      long loopCpu = tunnels.clientLoopCpuNanos() - loopBefore;
      long exchanges = route.getExchangesTotal() - exchangesBefore;
      long rejected = route.getExchangesFailed() + route.getFailuresHandled() - rejectedBefore;
      int inflight = camel.getInflightRepository().size(LIMITED);
      long heapGrowth = JvmUsage.usedHeapAfterGc() - heapBefore;
      StreamProbe.Result own = limited.finish(1_000);
      StreamProbe.Result other = neighbour.finish(0);
      Thread.sleep(1_100); // the client counts kernel drops once a second
      String firstLogged = logs.first();
      long[] logged = logs.counts();
      long completed = exchanges - rejected;
      long kernelDrops = counters.drops(DropCause.RECEIVE_BUFFER_FULL) - kernelBefore;

      System.out.printf(
          Locale.ROOT,
          "%n%s; bursts of %d%n"
              + "  answered %,.0f/s = %.2f x limit, of %,.0f/s sent; %,.0f exchanges/s completed;"
              + " %.1f datagrams per exchange%n"
              + "  excess: rate_limited %,d, kernel drops %,d, exchanges failed %,.0f/s,"
              + " at the end %,d exchanges still waiting, heap %+.1f MiB%n"
              + "  admitted round trip p50 %.1f ms, p99 %.1f ms, max %.0f ms;"
              + " neighbour %d/%d answered, p99 %.1f ms, max %.0f ms%n"
              + "  logged %,.0f events/s = %,.0f lines/s = %,.0f KiB/s%s%n"
              + "  client event loop CPU %.1f us per datagram sent%n",
          variant.title,
          burst,
          own.answered() / elapsed,
          own.answered() / elapsed / limit,
          own.sent() / elapsed,
          completed / elapsed,
          exchanges == 0 ? 0.0 : (double) (own.sent() - kernelDrops) / exchanges,
          counters.drops(DropCause.RATE_LIMITED) - rateLimitedBefore,
          kernelDrops,
          rejected / elapsed,
          inflight,
          heapGrowth / 1048576.0,
          own.percentileMicros(50) / 1e3,
          own.percentileMicros(99) / 1e3,
          own.percentileMicros(100) / 1e3,
          other.answered(),
          other.sent(),
          other.percentileMicros(99) / 1e3,
          other.percentileMicros(100) / 1e3,
          (logged[0] - logsBefore[0]) / elapsed,
          (logged[1] - logsBefore[1]) / elapsed,
          (logged[2] - logsBefore[2]) / elapsed / 1024,
          firstLogged == null ? "" : "; first: " + firstLogged,
          loopCpu / 1e3 / (own.sent() + other.sent()));
    }
  }

  private static StreamProbe probe(InProcessTunnels tunnels, int rate, int burst, int seconds)
      throws Exception {
    return new StreamProbe(tunnels.port(LIMITED), rate, burst, SIZE, 0, seconds + 1);
  }
}
