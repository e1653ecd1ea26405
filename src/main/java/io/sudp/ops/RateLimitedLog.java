package io.sudp.ops;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * Log lines that a peer can cause over and over (a warning per bad frame or dropped datagram, a
 * line per connection): each kind of line (its message template) is logged at most {@code burst}
 * times per interval, and the first one after a quiet spell says how many were suppressed, so a
 * flood of bad input cannot flood the log, and one kind cannot hide another.
 */
public final class RateLimitedLog {
  private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final Logger logger;
  private final long intervalNanos;
  private final int burst;
  private final LongSupplier clock;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  /** One line of each kind per 10 seconds: for warnings a flood repeats. */
  public RateLimitedLog(Logger logger) {
    this(logger, INTERVAL_NANOS, 1, System::nanoTime);
  }

  /** {@code burst} lines of each kind per {@code interval}. */
  public RateLimitedLog(Logger logger, int burst, Duration interval) {
    this(logger, interval.toNanos(), burst, System::nanoTime);
  }

  RateLimitedLog(Logger logger, long intervalNanos, int burst, LongSupplier clock) {
    this.logger = logger;
    this.intervalNanos = intervalNanos;
    this.burst = burst;
    this.clock = clock;
  }

  /**
   * Logs at WARN unless this template used up its lines in the interval; then only counts it.
   *
   * @param format a constant SLF4J template: it names the kind of line
   */
  public void warn(String format, Object... arguments) {
    log(Level.WARN, format, arguments);
  }

  /** As {@link #warn}, at INFO. */
  public void info(String format, Object... arguments) {
    log(Level.INFO, format, arguments);
  }

  private void log(Level level, String format, Object... arguments) {
    if (!logger.isEnabledForLevel(level)) {
      return;
    }
    long skipped =
        windows
            .computeIfAbsent(format, key -> new Window(clock.getAsLong()))
            .pass(clock.getAsLong());
    if (skipped == 0) {
      logger.atLevel(level).log(format, arguments);
    } else if (skipped > 0) {
      logger.atLevel(level).log(format + " (" + skipped + " more like this suppressed)", arguments);
    }
  }

  private final class Window {
    private final AtomicLong start;
    private final AtomicInteger used = new AtomicInteger();
    private final AtomicLong suppressed = new AtomicLong();

    Window(long now) {
      start = new AtomicLong(now);
    }

    /** The count suppressed before this one if it may be logged now, else -1. */
    long pass(long now) {
      long begun = start.get();
      if (now - begun >= intervalNanos && start.compareAndSet(begun, now)) {
        used.set(1);
        return suppressed.getAndSet(0);
      }
      if (used.incrementAndGet() <= burst) {
        return 0;
      }
      suppressed.incrementAndGet();
      return -1;
    }
  }
}
