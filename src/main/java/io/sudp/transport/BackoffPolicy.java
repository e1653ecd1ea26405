package io.sudp.transport;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long to wait before the next connection attempt: exponential growth from {@code initial} by
 * {@code multiplier} up to {@code max}, with "equal jitter" (half fixed, half random) so that many
 * clients cut off together do not come back together.
 */
public record BackoffPolicy(Duration initial, Duration max, double multiplier) {
  public static final BackoffPolicy DEFAULT =
      new BackoffPolicy(Duration.ofMillis(100), Duration.ofSeconds(1), 2.0);

  /** The delay before attempt {@code failures + 1}, after {@code failures} failed ones. */
  public long delayMillis(int failures) {
    double base = initial.toMillis() * Math.pow(multiplier, Math.min(failures, 62));
    long capped = (long) Math.min(base, max.toMillis());
    return Math.max(1, capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
  }
}
