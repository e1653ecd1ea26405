package io.sudp.management;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * An answer made on a worker thread, off the event loop that the management port shares with the
 * tunnels, and shared: every request that comes while it is being made, or within {@code reuse}
 * after it began, gets the same one. However fast a client asks, an endpoint costs one making at a
 * time and at most one per {@code reuse}, and no request is refused for being one too many (a
 * liveness probe among a flood of them still gets its answer).
 */
final class SharedAnswer<T> {
  private final Vertx vertx;
  private final Callable<T> make;
  private final long reuseNanos;
  private Future<T> latest;
  private long begunNanos;

  SharedAnswer(Vertx vertx, Duration reuse, Callable<T> make) {
    this.vertx = vertx;
    this.make = make;
    this.reuseNanos = reuse.toNanos();
  }

  /** The answer being made, or made recently enough; else a new one. */
  synchronized Future<T> get() {
    long now = System.nanoTime();
    if (latest == null
        || latest.isComplete() && (latest.failed() || now - begunNanos >= reuseNanos)) {
      begunNanos = now;
      latest = vertx.executeBlocking(make, false);
    }
    return latest;
  }
}
