package io.sudp.security;

import java.util.function.LongSupplier;

/**
 * A rate limit: up to {@code ratePerSecond} on average, with bursts of up to one second's worth.
 * Shared by every connection of a user, so it is synchronized; the critical section is a few
 * arithmetic operations.
 */
public final class TokenBucket {
  private final double ratePerNano;
  private final double capacity;
  private final LongSupplier nanoClock;
  private double tokens;
  private long lastNanos;

  public TokenBucket(long ratePerSecond) {
    this(ratePerSecond, System::nanoTime);
  }

  /** As {@link #TokenBucket(long)}, refilled by {@code nanoClock}'s time instead of the JVM's. */
  TokenBucket(long ratePerSecond, LongSupplier nanoClock) {
    this.ratePerNano = ratePerSecond / 1e9;
    this.capacity = ratePerSecond;
    this.tokens = ratePerSecond;
    this.nanoClock = nanoClock;
    this.lastNanos = nanoClock.getAsLong();
  }

  /** Takes {@code amount} tokens if there are enough; false (and nothing taken) otherwise. */
  public synchronized boolean tryTake(long amount) {
    long now = nanoClock.getAsLong();
    tokens = Math.min(capacity, tokens + (now - lastNanos) * ratePerNano);
    lastNanos = now;
    if (tokens < amount) {
      return false;
    }
    tokens -= amount;
    return true;
  }
}
