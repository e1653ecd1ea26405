package io.sudp.transport;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes all of a server's outbound queues may hold together, so that the sum over every
 * connection and every session waiting to be resumed stays within the heap whatever peers do. Half
 * of it is split into equal guaranteed shares, one per session the server allows: a queue holding
 * less than its share always has room (up to its own limits). The other half is a pool for queues
 * beyond their share, first come first served. So when peers that stopped reading fill the pool, a
 * client that reads on still has its share, and loses nothing it would not lose anyway.
 */
public final class QueueBudget {
  /** No server-wide bound: each queue is bounded by its own limits only (the client's queue). */
  public static final QueueBudget UNBOUNDED = new QueueBudget(Long.MAX_VALUE, Long.MAX_VALUE);

  private final long share;
  private final long pool;
  private final AtomicLong pooled = new AtomicLong();

  private QueueBudget(long share, long pool) {
    this.share = share;
    this.pool = pool;
  }

  /** A pool of {@code bytes} with no shares: first come first served. */
  public static QueueBudget pool(long bytes) {
    return new QueueBudget(0, bytes);
  }

  /** {@code total} bytes for at most {@code sessions} sessions. */
  public static QueueBudget of(long total, int sessions) {
    return new QueueBudget(total / 2 / Math.max(1, sessions), total - total / 2);
  }

  /** The bytes a queue may hold before what it adds is taken from the pool. */
  public long share() {
    return share;
  }

  /** Takes {@code bytes} from the pool; false, taking nothing, if it has not that much left. */
  public boolean tryTake(long bytes) {
    while (true) {
      long now = pooled.get();
      if (now + bytes > pool) {
        return false;
      }
      if (pooled.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
  }

  /** Gives back {@code bytes} taken with {@link #tryTake}. */
  public void release(long bytes) {
    pooled.addAndGet(-bytes);
  }

  /** Bytes of the pool in use now. */
  public long pooled() {
    return pooled.get();
  }
}
