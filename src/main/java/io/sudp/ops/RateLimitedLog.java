package io.sudp.ops;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * A warning that repeats per datagram or per frame, logged at most once per interval with the
 * number of occurrences suppressed since, so a flood of bad input cannot flood the log.
 */
public final class RateLimitedLog {
  private static final long DEFAULT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final Logger logger;
  private final long intervalNanos;
  private final AtomicLong nextAllowed = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong suppressed = new AtomicLong();

  public RateLimitedLog(Logger logger) {
    this(logger, DEFAULT_INTERVAL_NANOS);
  }

  RateLimitedLog(Logger logger, long intervalNanos) {
    this.logger = logger;
    this.intervalNanos = intervalNanos;
  }

  /** Logs at WARN unless a line was logged within the interval; then only counts it. */
  public void warn(String format, Object... arguments) {
    long now = System.nanoTime();
    long allowed = nextAllowed.get();
    if ((allowed != Long.MIN_VALUE && now - allowed < 0)
        || !nextAllowed.compareAndSet(allowed, now + intervalNanos)) {
      suppressed.incrementAndGet();
      return;
    }
    long skipped = suppressed.getAndSet(0);
    if (skipped > 0) {
      logger.warn(format + " (" + skipped + " similar suppressed)", arguments);
    } else {
      logger.warn(format, arguments);
    }
  }
}
