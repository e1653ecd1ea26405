package io.sudp.bench;

import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * A paced latency flow on its own, as a separate process: a VoIP-like stream of datagrams to an
 * echo (through a tunnel or not) and the round trip of each, printed as one line. Runs where the
 * caller puts it, such as inside a network namespace ({@code scripts/head-of-line.sh}).
 *
 * <pre>
 * java -cp target/sudp.jar:target/test-classes io.sudp.bench.LatencyProbe \
 *     --target 127.0.0.1:5300 [--rate 50] [--seconds 20] [--size 160]
 * </pre>
 *
 * <p>Prints {@code sent N received M p50 X p90 X p99 X max X ms}: what a listener of that stream
 * hears late or not at all.
 */
public final class LatencyProbe {
  private LatencyProbe() {}

  public static void main(String[] args) throws Exception {
    String[] target = BenchOptions.option(args, "--target", "127.0.0.1:5300").split(":");
    int rate = BenchOptions.intOption(args, "--rate", 50);
    int seconds = BenchOptions.intOption(args, "--seconds", 20);
    int size = BenchOptions.intOption(args, "--size", 160);
    long[] rtts =
        LoadGenerator.pacedRoundTrips(
            new InetSocketAddress(target[0], Integer.parseInt(target[1])), size, rate, 1, seconds);
    int sent = rate * seconds;
    System.out.println(
        rtts.length == 0
            ? "sent " + sent + " received 0"
            : String.format(
                Locale.ROOT,
                "sent %d received %d p50 %.2f p90 %.2f p99 %.2f max %.2f ms",
                sent,
                rtts.length,
                Percentiles.of(rtts, 50) / 1e6,
                Percentiles.of(rtts, 90) / 1e6,
                Percentiles.of(rtts, 99) / 1e6,
                rtts[rtts.length - 1] / 1e6));
  }
}
