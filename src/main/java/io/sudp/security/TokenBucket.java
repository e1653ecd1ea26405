package io.sudp.security;

/**
 * A rate limit: up to {@code ratePerSecond} on average, with bursts of up to one second's worth.
 * Shared by every connection of a user, so it is synchronized; the critical section is a few
 * arithmetic operations.
 */
public final class TokenBucket {
  private final double ratePerNano;
  private final double capacity;
  private double tokens;
  private long lastNanos = System.nanoTime();

  public TokenBucket(long ratePerSecond) {
    this.ratePerNano = ratePerSecond / 1e9;
    this.capacity = ratePerSecond;
    this.tokens = ratePerSecond;
  }

  /** Takes {@code amount} tokens if there are enough; false (and nothing taken) otherwise. */
  public synchronized boolean tryTake(long amount) {
    long now = System.nanoTime();
    tokens = Math.min(capacity, tokens + (now - lastNanos) * ratePerNano);
    lastNanos = now;
    if (tokens < amount) {
      return false;
    }
    tokens -= amount;
    return true;
  }
}
