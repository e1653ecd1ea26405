package io.sudp.ops;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Warnings that repeat per datagram or per frame: each kind of warning (its message template) is
 * logged at most once per interval, with the number suppressed since, so a flood of bad input cannot
 * flood the log, and one kind cannot hide another.
 */
public final class RateLimitedLog {
  private static final long DEFAULT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final Logger logger;
  private final long intervalNanos;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  public RateLimitedLog(Logger logger) {
    this(logger, DEFAULT_INTERVAL_NANOS);
  }

  RateLimitedLog(Logger logger, long intervalNanos) {
    this.logger = logger;
    this.intervalNanos = intervalNanos;
  }

  /**
   * Logs at WARN unless this template was logged within the interval; then only counts it.
   *
   * @param format a constant SLF4J template: it names the kind of warning
   */
  public void warn(String format, Object... arguments) {
    long skipped = windows.computeIfAbsent(format, key -> new Window()).pass(System.nanoTime());
    if (skipped == 0) {
      logger.warn(format, arguments);
    } else if (skipped > 0) {
      logger.warn(format + " (" + skipped + " more like this suppressed)", arguments);
    }
  }

  private final class Window {
    private final AtomicLong nextAllowed = new AtomicLong(System.nanoTime());
    private final AtomicLong suppressed = new AtomicLong();

    /** The count suppressed before this one if it may be logged now, else -1. */
    long pass(long now) {
      long allowed = nextAllowed.get();
      if (now - allowed < 0 || !nextAllowed.compareAndSet(allowed, now + intervalNanos)) {
        suppressed.incrementAndGet();
        return -1;
      }
      return suppressed.getAndSet(0);
    }
  }
}
