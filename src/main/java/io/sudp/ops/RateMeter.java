package io.sudp.ops;

import java.util.function.LongSupplier;

/**
 * A per-second rate of an ever-growing count, from samples taken about once a second by
 * housekeeping (never per datagram): what the status table and the live view show as "/s".
 */
public final class RateMeter {
  private final LongSupplier count;
  private long lastCount;
  private long lastNanos;
  private volatile double perSecond;

  public RateMeter(LongSupplier count) {
    this.count = count;
    this.lastCount = count.getAsLong();
    this.lastNanos = System.nanoTime();
  }

  /** Takes a sample; the rate is the growth since the previous one. */
  public synchronized void sample() {
    long now = System.nanoTime();
    long value = count.getAsLong();
    if (now > lastNanos) {
      perSecond = (value - lastCount) * 1e9 / (now - lastNanos);
    }
    lastCount = value;
    lastNanos = now;
  }

  public double perSecond() {
    return perSecond;
  }
}
