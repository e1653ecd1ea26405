package io.sudp.ops;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A count with a ceiling, taken and given back atomically: a limit that is checked and counted in
 * one step, so that concurrent takers can never pass it together. Safe from any thread.
 */
public final class Slots {
  private final AtomicInteger used = new AtomicInteger();
  private final int max;

  /**
   * @param max the ceiling; {@link Integer#MAX_VALUE} for none
   */
  public Slots(int max) {
    this.max = max;
  }

  /** Takes one slot; false, taking nothing, when all are in use. */
  public boolean tryTake() {
    while (true) {
      int now = used.get();
      if (now >= max) {
        return false;
      }
      if (used.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  /** Gives back {@code count} slots taken before. */
  public void release(int count) {
    used.addAndGet(-count);
  }

  public int used() {
    return used.get();
  }

  public int max() {
    return max;
  }
}
