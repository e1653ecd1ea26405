package io.sudp.bench;

import io.sudp.routes.RouteNames;
import io.sudp.runtime.ClientAssembly;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.api.management.mbean.ManagedRouteMBean;
import org.apache.camel.builder.AdviceWithRouteBuilder;
import org.apache.camel.model.ToDefinition;
import org.apache.camel.model.errorhandler.DefaultErrorHandlerDefinition;
import org.apache.camel.util.function.ThrowingConsumer;

/**
 * What Camel's redelivery and Circuit Breaker EIPs would do to datagrams during an outage of the
 * server, against SUDP as built (the connection's bounded, age-limited queue). Two applications use
 * one client: a DNS-like one (50 queries/s, each asked again once after 1 s without an answer, so
 * it has given up on a query 2 s after first asking) and a VoIP-like one (50 datagrams/s, a
 * datagram more than 200 ms late is useless). The server is stopped for 2 s and started again on
 * its port; every tunnel route carries the variant's change ({@code AdviceWith}).
 *
 * <p>SUDP's producer never fails: while the connection is down it queues. For redelivery or a
 * breaker to act, a step before it fails while the client is disconnected, as a producer that sends
 * synchronously would (camel-vertx-websocket's does). The breaker variants use camel-resilience4j,
 * a test dependency, so this runs on the test class path:
 *
 * <pre>
 * mvn -o -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test.classpath
 * java -cp target/classes:target/test-classes:$(cat target/test.classpath) \
 *     io.sudp.bench.DatagramRecoveryBenchmark [--outage-ms 2000]
 * </pre>
 */
public final class DatagramRecoveryBenchmark {
  private static final String DNS = "dns";
  private static final String VOICE = "voice";
  private static final int RATE = 50;
  private static final long DNS_RETRY_MS = 1_000;
  private static final long VOICE_USEFUL_MS = 200;
  private static final int BEFORE_S = 2;
  private static final int AFTER_S = 4;

  /** One way to meet the outage. */
  private enum Recovery {
    QUEUE("SUDP as built: the sudp: producer queues (client.queue.max-age 3s, the default)"),
    QUEUE_SHORT("SUDP as built, client.queue.max-age 200ms"),
    REDELIVERY("redelivery: 3 x 1 s (Camel's default delay), synchronous (the default)"),
    REDELIVERY_ASYNC("redelivery: 3 x 1 s, asyncDelayedRedelivery"),
    BREAKER_AROUND_PRODUCER("circuitBreaker (Resilience4j defaults) around SUDP's producer"),
    BREAKER("circuitBreaker (Resilience4j defaults) around a producer that fails, fallback drops"),
    BREAKER_TUNED("... with 10 calls, open 1 s (SUDP's reconnect cap), fallback drops");

    final String title;

    Recovery(String title) {
      this.title = title;
    }

    ThrowingConsumer<AdviceWithRouteBuilder, Exception> advice() {
      return route -> {
        switch (this) {
          case REDELIVERY, REDELIVERY_ASYNC -> {
            DefaultErrorHandlerDefinition redelivery =
                new DefaultErrorHandlerDefinition().maximumRedeliveries(3).redeliveryDelay(1_000);
            if (this == REDELIVERY_ASYNC) {
              redelivery.asyncDelayedRedelivery();
            }
            route.getOriginalRoute().errorHandler(redelivery);
            failWhileDown(route);
          }
          case BREAKER_AROUND_PRODUCER -> {
            String uri = producer(route).getEndpointUri();
            route.weaveByToUri("sudp:*").replace().circuitBreaker().to(uri).end();
          }
          case BREAKER, BREAKER_TUNED -> {
            var breaker = route.weaveByToUri("sudp:*").before().circuitBreaker();
            if (this == BREAKER_TUNED) {
              breaker
                  .resilience4jConfiguration()
                  .minimumNumberOfCalls(10)
                  .slidingWindowSize(10)
                  .waitDurationInOpenState(1)
                  .end();
            }
            breaker.process(Recovery::check).onFallback().stop().end();
          }
          default -> {}
        }
      };
    }

    private static void failWhileDown(AdviceWithRouteBuilder route) {
      route.weaveByToUri("sudp:*").before().process(Recovery::check);
    }

    /** Fails while the client of the exchange's context is not connected. */
    private static void check(Exchange exchange) throws IOException {
      ClientAssembly client =
          exchange
              .getContext()
              .getRegistry()
              .lookupByNameAndType(RouteNames.CLIENT, ClientAssembly.class);
      if (!client.connected()) {
        throw new IOException("not connected to the server");
      }
    }

    private static ToDefinition producer(AdviceWithRouteBuilder route) {
      return route.getOriginalRoute().getOutputs().stream()
          .filter(ToDefinition.class::isInstance)
          .map(ToDefinition.class::cast)
          .findFirst()
          .orElseThrow();
    }
  }

  private DatagramRecoveryBenchmark() {}

  public static void main(String[] args) throws Exception {
    int outageMillis = BenchOptions.intOption(args, "--outage-ms", 2_000);
    System.out.printf(
        Locale.ROOT,
        "server stopped for %d ms; dns: %d queries/s, asked again after %d ms; voice: %d/s, useful"
            + " within %d ms; %d CPUs, Java %s%n",
        outageMillis,
        RATE,
        DNS_RETRY_MS,
        RATE,
        VOICE_USEFUL_MS,
        Runtime.getRuntime().availableProcessors(),
        Runtime.version());
    try (LogVolume logs = new LogVolume()) {
      for (Recovery recovery : Recovery.values()) {
        run(recovery, outageMillis, logs);
      }
    }
  }

  private static void run(Recovery recovery, int outageMillis, LogVolume logs) throws Exception {
    ThrowingConsumer<AdviceWithRouteBuilder, Exception> advice = recovery.advice();
    try (InProcessTunnels tunnels =
        new InProcessTunnels(
            List.of(
                new InProcessTunnels.Tunnel(DNS, Map.of(), advice),
                new InProcessTunnels.Tunnel(VOICE, Map.of(), advice)),
            recovery == Recovery.QUEUE_SHORT ? "queue: {max-age: 200ms}" : "")) {
      int seconds = BEFORE_S + AFTER_S + (outageMillis + 999) / 1000 + 30;
      StreamProbe warming = new StreamProbe(tunnels.port(VOICE), RATE, 1, 100, 0, 2);
      Thread.sleep(2_000); // warming up
      warming.finish(200);
      long[] logsBefore = logs.counts();
      StreamProbe dns = new StreamProbe(tunnels.port(DNS), RATE, 1, 100, DNS_RETRY_MS, seconds);
      StreamProbe voice = new StreamProbe(tunnels.port(VOICE), RATE, 1, 100, 0, seconds);
      Thread.sleep(BEFORE_S * 1_000L); // steady traffic before the outage
      long down = System.nanoTime();
      tunnels.stopServer();
      Thread.sleep(outageMillis); // the outage itself
      tunnels.startServer();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!tunnels.connected() && System.nanoTime() < deadline) {
        Thread.sleep(10); // polling the client's state, to time the reconnect
      }
      String outage =
          tunnels.connected()
              ? String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - down) / 1e9)
              : "more than 30 s: not connected again";
      Thread.sleep(AFTER_S * 1_000L); // traffic after the outage
      dns.stopSending();
      voice.stopSending();
      StreamProbe.Result dnsResult = dns.finish(2_500);
      StreamProbe.Result voiceResult = voice.finish(0);
      String firstLogged = logs.first();
      long[] logged = logs.counts();
      CamelContext camel = tunnels.client();
      ManagedCamelContext managed =
          camel.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class);
      long failed = 0;
      for (String route : List.of(DNS, VOICE)) {
        ManagedRouteMBean stats = managed.getManagedRoute(route);
        failed += stats.getExchangesFailed();
      }
      System.out.printf(
          Locale.ROOT,
          "%n%s%n"
              + "  connection down %s (server stopped until the client was connected again)%n"
              + "  dns: %d queries, %d answered: %d within %d ms, %d after the app had given up"
              + " (%d ms); %d asked again, %d answered twice%n"
              + "  voice: %d sent, %d answered: %d later than %d ms (max %.0f ms), %d never,"
              + " %d out of order%n"
              + "  exchanges failed %d; logged %,d ERROR events, %,d lines in all%s%n",
          recovery.title,
          outage,
          dnsResult.sent(),
          dnsResult.answered(),
          dnsResult.answered() - dnsResult.answeredLaterThan(DNS_RETRY_MS),
          DNS_RETRY_MS,
          dnsResult.answeredLaterThan(2 * DNS_RETRY_MS),
          2 * DNS_RETRY_MS,
          dnsResult.retries(),
          dnsResult.answeredTwice(),
          voiceResult.sent(),
          voiceResult.answered(),
          voiceResult.answeredLaterThan(VOICE_USEFUL_MS),
          VOICE_USEFUL_MS,
          voiceResult.percentileMicros(100) / 1e3,
          voiceResult.sent() - voiceResult.answered(),
          voiceResult.reordered(),
          failed,
          logged[3] - logsBefore[3],
          logged[1] - logsBefore[1],
          firstLogged == null ? "" : "; first: " + firstLogged);
    }
  }
}
