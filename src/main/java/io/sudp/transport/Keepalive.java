package io.sudp.transport;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketBase;
import java.util.concurrent.TimeUnit;

/**
 * WebSocket ping/pong on one connection. A ping goes out every interval; anything heard from the
 * peer (a message or a pong) proves it alive. Silence for two intervals means the connection is
 * dead, even if TCP has not noticed (a half-open connection, a paused peer, a proxy that dropped
 * it): {@code onDead} runs once. Pongs carry the ping's send time, which gives the round-trip time.
 * Create and use on the connection's event loop.
 */
final class Keepalive {
  private final Vertx vertx;
  private final WebSocketBase socket;
  private final long intervalNanos;
  private final Runnable onDead;
  private final long timer;
  private long lastHeardNanos = System.nanoTime();
  private volatile long rttNanos = -1;
  private boolean dead;

  Keepalive(Vertx vertx, WebSocketBase socket, long intervalMillis, Runnable onDead) {
    this.vertx = vertx;
    this.socket = socket;
    this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
    this.onDead = onDead;
    socket.pongHandler(payload -> {
      heard();
      if (payload.length() == Long.BYTES) {
        rttNanos = System.nanoTime() - payload.getLong(0);
      }
    });
    this.timer = vertx.setPeriodic(intervalMillis, id -> tick());
  }

  /** The peer said something. */
  void heard() {
    lastHeardNanos = System.nanoTime();
  }

  /** Round-trip time of the last answered ping, in nanoseconds; -1 before the first. */
  long rttNanos() {
    return rttNanos;
  }

  private void tick() {
    long now = System.nanoTime();
    if (now - lastHeardNanos > 2 * intervalNanos) {
      if (!dead) {
        dead = true;
        stop();
        onDead.run();
      }
      return;
    }
    socket.writePing(Buffer.buffer(Long.BYTES).appendLong(now));
  }

  void stop() {
    vertx.cancelTimer(timer);
  }
}
