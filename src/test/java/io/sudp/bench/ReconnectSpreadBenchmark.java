package io.sudp.bench;

import io.sudp.transport.BackoffPolicy;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.LongBinaryOperator;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;

/**
 * How many clients cut off by one event come back at once: SUDP's reconnect delays ({@link
 * BackoffPolicy}, "equal jitter") against Camel's redelivery delays ({@link RedeliveryPolicy} with
 * the same initial delay, multiplier and cap, and its collision avoidance), each computed by the
 * policy's own code for {@code --clients} clients that lose the server at 0 and find it back at
 * {@code --down-ms}. Virtual time: nothing is sent, so the figures do not depend on the machine.
 *
 * <pre>
 * java -cp target/sudp.jar:target/test-classes io.sudp.bench.ReconnectSpreadBenchmark \
 *     [--clients 1000] [--down-ms 10000]
 * </pre>
 */
public final class ReconnectSpreadBenchmark {
  private static final long WINDOW_MS = 10;

  private ReconnectSpreadBenchmark() {}

  public static void main(String[] args) {
    int clients = BenchOptions.intOption(args, "--clients", 1_000);
    long down = BenchOptions.intOption(args, "--down-ms", 10_000);
    BackoffPolicy sudp = BackoffPolicy.DEFAULT;
    System.out.printf(
        Locale.ROOT,
        "%d clients lose the server at 0 ms and find it back at %d ms; delays from %d ms, x%.0f,"
            + " at most %d ms%n",
        clients,
        down,
        sudp.initial().toMillis(),
        sudp.multiplier(),
        sudp.max().toMillis());
    report(
        "SUDP (client.reconnect, equal jitter)",
        clients,
        down,
        (previous, failures) -> sudp.delayMillis((int) failures));
    for (double factor : new double[] {0.15, 0.5}) {
      RedeliveryPolicy camel = new RedeliveryPolicy();
      camel.setRedeliveryDelay(sudp.initial().toMillis());
      camel.setBackOffMultiplier(sudp.multiplier());
      camel.setUseExponentialBackOff(true);
      camel.setMaximumRedeliveryDelay(sudp.max().toMillis());
      camel.setUseCollisionAvoidance(true);
      camel.setCollisionAvoidanceFactor(factor);
      report(
          "Camel redelivery, collisionAvoidanceFactor " + factor,
          clients,
          down,
          (previous, failures) -> camel.calculateRedeliveryDelay(previous, (int) failures + 1));
    }
  }

  /**
   * Attempts per client until the first at or after {@code down}: the busiest {@value #WINDOW_MS}
   * ms after the server is back, and how long the clients took to come back.
   *
   * @param delay the delay before the next attempt, from the previous delay and the failures so far
   */
  private static void report(String name, int clients, long down, LongBinaryOperator delay) {
    long[] back = new long[clients];
    int[] perWindow = new int[(int) (2 * down / WINDOW_MS) + 1_000];
    for (int client = 0; client < clients; client++) {
      long time = 0;
      long previous = 0;
      int failures = 0;
      do {
        previous = delay.applyAsLong(previous, failures);
        time += previous;
        failures++;
      } while (time < down);
      back[client] = time - down;
      perWindow[(int) (time / WINDOW_MS)]++;
    }
    Arrays.sort(back);
    int busiest = Arrays.stream(perWindow).max().orElse(0);
    System.out.printf(
        Locale.ROOT,
        "%n%s%n  first attempts after the server is back: at most %d clients in one %d ms window;"
            + " back after p50 %d ms, p99 %d ms, max %d ms%n",
        name,
        busiest,
        WINDOW_MS,
        Percentiles.of(back, 50),
        Percentiles.of(back, 99),
        back[clients - 1]);
  }
}
