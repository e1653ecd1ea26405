package io.sudp.security;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * How many password attempts a source may make, decided before any is checked so that a guesser
 * costs no bcrypt work: per source and user name {@value #PER_USER} attempts that fail in a minute,
 * per source over all names {@value #PER_SOURCE} (one guesser behind a shared address does not lock
 * out everyone else behind it until it tried that many), and at most {@value #AT_ONCE} attempts of
 * one source being checked at once (so one source cannot take the checking threads from others). An
 * attempt is counted when it begins and settled when its check ends, so attempts made together
 * cannot pass the limit together. The tables are bounded.
 */
final class LoginLimiter {
  static final int PER_USER = 5;
  static final int PER_SOURCE = 50;
  static final int AT_ONCE = 2;
  private static final long WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);
  private static final int MAX_SOURCES = 10_000;
  private static final int MAX_NAMES_PER_SOURCE = 64;

  /** Whether an attempt may be checked. */
  enum Verdict {
    GO,
    TOO_MANY_FAILURES,
    TOO_MANY_AT_ONCE
  }

  private static final class Counts {
    int failures;
    int inFlight;
  }

  private static final class Source {
    long windowStart;
    final Counts all = new Counts();
    final Map<String, Counts> byName = new HashMap<>();
  }

  private final Map<String, Source> sources = new ConcurrentHashMap<>();
  private final LongSupplier clock;

  LoginLimiter() {
    this(System::nanoTime);
  }

  LoginLimiter(LongSupplier clock) {
    this.clock = clock;
  }

  /** Begins an attempt of {@code name} from {@code source}; end it with {@link #end} if GO. */
  Verdict begin(String source, String name) {
    long now = clock.getAsLong();
    if (sources.size() > MAX_SOURCES) {
      sources.values().removeIf(state -> isIdle(state, now));
    }
    Source state = sources.computeIfAbsent(source, key -> new Source());
    synchronized (state) {
      if (now - state.windowStart >= WINDOW_NANOS) {
        state.windowStart = now;
        state.all.failures = 0;
        state.byName.values().forEach(counts -> counts.failures = 0);
      }
      Counts ofName = counts(state, name);
      if (state.all.inFlight >= AT_ONCE) {
        return Verdict.TOO_MANY_AT_ONCE;
      }
      if (state.all.failures + state.all.inFlight >= PER_SOURCE
          || ofName.failures + ofName.inFlight >= PER_USER) {
        return Verdict.TOO_MANY_FAILURES;
      }
      state.all.inFlight++;
      ofName.inFlight++;
      return Verdict.GO;
    }
  }

  /** Ends an attempt that began with GO: {@code failed}, or not. */
  void end(String source, String name, boolean failed) {
    Source state = sources.get(source);
    if (state == null) {
      return;
    }
    synchronized (state) {
      Counts ofName = counts(state, name);
      state.all.inFlight--;
      ofName.inFlight = Math.max(0, ofName.inFlight - 1);
      if (failed) {
        state.all.failures++;
        ofName.failures++;
      }
    }
  }

  /** The counts of one name, made on first use; the table keeps the names with attempts going. */
  private static Counts counts(Source state, String name) {
    Counts counts = state.byName.get(name);
    if (counts == null) {
      if (state.byName.size() >= MAX_NAMES_PER_SOURCE) {
        Iterator<Counts> all = state.byName.values().iterator();
        while (all.hasNext() && state.byName.size() >= MAX_NAMES_PER_SOURCE) {
          if (all.next().inFlight == 0) {
            all.remove(); // the source's own count still holds its failures
          }
        }
      }
      counts = new Counts();
      state.byName.put(name, counts);
    }
    return counts;
  }

  private boolean isIdle(Source state, long now) {
    synchronized (state) {
      return state.all.inFlight == 0 && now - state.windowStart >= WINDOW_NANOS;
    }
  }
}
