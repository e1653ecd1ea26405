package io.sudp.config;

import java.time.Duration;

/**
 * The durations a key accepts. Every key has a floor below which the setting cannot work and a
 * finite ceiling, so no value overflows where it is used (in nanoseconds, doubled, added to a
 * clock) and a slip of the keyboard is reported instead of failing the start.
 */
record DurationRange(Duration min, Duration max) {
  /** Flow idle timeouts: flows are swept every 100 ms at best; a week idle is a forgotten flow. */
  static final DurationRange IDLE = new DurationRange(Duration.ofMillis(100), Duration.ofDays(7));

  /** WebSocket pings: faster than 100 ms is a load, not a check; slower than an hour no check. */
  static final DurationRange KEEPALIVE =
      new DurationRange(Duration.ofMillis(100), Duration.ofHours(1));

  /** How long a session waits for its client to come back; a day is already generous. */
  static final DurationRange RESUME = new DurationRange(Duration.ofSeconds(1), Duration.ofDays(1));

  /** Waits for something to finish: a handshake, a name resolving, a drain on shutdown. */
  static final DurationRange WAIT = new DurationRange(Duration.ofMillis(100), Duration.ofHours(1));

  /** Queue ages and reconnection delays: each one schedules a timer, so not below 10 ms. */
  static final DurationRange SHORT = new DurationRange(Duration.ofMillis(10), Duration.ofHours(1));

  /** A warm-up before the start: none, or up to a minute, beyond which a start looks hung. */
  static final DurationRange WARM_UP = new DurationRange(Duration.ZERO, Duration.ofMinutes(1));

  boolean contains(Duration value) {
    return value.compareTo(min) >= 0 && value.compareTo(max) <= 0;
  }

  @Override
  public String toString() {
    return format(min) + ".." + format(max);
  }

  /** {@code value} in the largest unit of the configuration that holds it whole. */
  private static String format(Duration value) {
    long millis = value.toMillis();
    if (millis == 0) {
      return "0s";
    }
    if (millis % 3_600_000 == 0) {
      return millis / 3_600_000 + "h";
    }
    if (millis % 60_000 == 0) {
      return millis / 60_000 + "m";
    }
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }
}
