package io.sudp.transport;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketBase;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * WebSocket ping/pong on one connection. A ping goes out every interval; anything heard from the
 * peer (a message or a pong) proves it alive. Silence for two intervals means the connection is
 * dead, even if TCP has not noticed (a half-open connection, a paused peer, a proxy that dropped
 * it): {@code onDead} runs once. A ping carries its send time, which gives the round-trip time, and
 * how many datagrams had been written before it: the peer handles frames in order, so its pong
 * confirms that all of those arrived. Create and use on the connection's event loop.
 */
final class Keepalive {
  private final Vertx vertx;
  private final WebSocketBase socket;
  private final long intervalNanos;
  private final Runnable onDead;
  private final LongSupplier datagramsWritten;
  private final LongSupplier nanoClock;
  private final long timer;
  private volatile long confirmed;
  private long lastHeardNanos;
  private long lastPingNanos;
  private volatile long rttNanos = -1;
  private boolean dead;

  Keepalive(
      Vertx vertx,
      WebSocketBase socket,
      long intervalMillis,
      LongSupplier datagramsWritten,
      Runnable onDead) {
    this(vertx, socket, intervalMillis, datagramsWritten, onDead, System::nanoTime);
  }

  /** As above, with the clock ({@link System#nanoTime} in production) given. */
  Keepalive(
      Vertx vertx,
      WebSocketBase socket,
      long intervalMillis,
      LongSupplier datagramsWritten,
      Runnable onDead,
      LongSupplier nanoClock) {
    this.vertx = vertx;
    this.nanoClock = nanoClock;
    this.lastHeardNanos = nanoClock.getAsLong();
    this.lastPingNanos = lastHeardNanos;
    this.socket = socket;
    this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
    this.datagramsWritten = datagramsWritten;
    this.confirmed = datagramsWritten.getAsLong();
    this.onDead = onDead;
    socket.pongHandler(
        payload -> {
          heard();
          if (payload.length() == 2 * Long.BYTES) {
            rttNanos = nanoClock.getAsLong() - payload.getLong(0);
            confirmed = payload.getLong(Long.BYTES);
          }
        });
    // Checked twice per interval, so a dead connection is found two to two and a half intervals
    // after the peer last spoke.
    this.timer = vertx.setPeriodic(Math.max(1, intervalMillis / 2), id -> tick());
  }

  /** The peer said something. */
  void heard() {
    lastHeardNanos = nanoClock.getAsLong();
  }

  /** How many of the datagrams written (counted as by the writer) the peer confirmed it got. */
  long confirmed() {
    return confirmed;
  }

  /** Round-trip time of the last answered ping, in nanoseconds; -1 before the first. */
  long rttNanos() {
    return rttNanos;
  }

  private void tick() {
    long now = nanoClock.getAsLong();
    if (now - lastHeardNanos > 2 * intervalNanos) {
      if (!dead) {
        dead = true;
        stop();
        onDead.run();
      }
      return;
    }
    if (now - lastPingNanos < intervalNanos) {
      return;
    }
    lastPingNanos = now;
    socket.writePing(
        Buffer.buffer(2 * Long.BYTES).appendLong(now).appendLong(datagramsWritten.getAsLong()));
  }

  void stop() {
    vertx.cancelTimer(timer);
  }
}
