package io.sudp.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Counts failed authentications per source address in a sliding minute; a source with five or more
 * is refused without checking (no bcrypt work for a password guesser) until its window ends. The
 * table is bounded: old entries go first.
 */
final class FailureLimiter {
  private static final int MAX_FAILURES = 5;
  private static final long WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);
  private static final int MAX_SOURCES = 10_000;

  private record Window(long startNanos, int failures) {}

  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  boolean isBlocked(String source) {
    Window window = windows.get(source);
    return window != null && window.failures() >= MAX_FAILURES
        && System.nanoTime() - window.startNanos() < WINDOW_NANOS;
  }

  /** Records a failure; true when it is the one that blocks the source. */
  boolean failed(String source) {
    long now = System.nanoTime();
    if (windows.size() > MAX_SOURCES) {
      windows.values().removeIf(window -> now - window.startNanos() >= WINDOW_NANOS);
    }
    Window window = windows.compute(source, (key, old) ->
        old == null || now - old.startNanos() >= WINDOW_NANOS
            ? new Window(now, 1) : new Window(old.startNanos(), old.failures() + 1));
    return window.failures() == MAX_FAILURES;
  }
}
