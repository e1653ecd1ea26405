package io.sudp.transport;

import io.sudp.ops.RateLimitedLog;
import io.sudp.ops.Refusal;
import io.sudp.ops.TrafficCounters;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * TCP connections that have not completed a WebSocket upgrade yet, which cost a file descriptor
 * and buffers while proving nothing: each is closed if its upgrade has not succeeded within the
 * timeout, whatever it sent meanwhile; and at most {@code max} wait at once. When a new one would
 * be one too many, the one that has waited longest is closed: a real client upgrades within
 * milliseconds, so connections held open to fill the table are the ones that go, not the
 * newcomer.
 */
final class Handshakes {
  private final Vertx vertx;
  private final int max;
  private final long timeoutMillis;
  private final TrafficCounters counters;
  private final RateLimitedLog log = new RateLimitedLog(LoggerFactory.getLogger(Handshakes.class));
  private final Map<HttpConnection, Long> waiting = new LinkedHashMap<>(); // oldest first

  Handshakes(Vertx vertx, int max, long timeoutMillis, TrafficCounters counters) {
    this.vertx = vertx;
    this.max = max;
    this.timeoutMillis = timeoutMillis;
    this.counters = counters;
  }

  /** A new connection, on its event loop. */
  void opened(HttpConnection connection) {
    long timer = vertx.setTimer(timeoutMillis, id -> {
      if (leave(connection)) {
        counters.refused(Refusal.HANDSHAKE_TIMEOUT);
        log.warn("{}: no WebSocket upgrade within {} ms; closing", connection.remoteAddress(),
            timeoutMillis);
        connection.close();
      }
    });
    HttpConnection oldest = null;
    synchronized (waiting) {
      waiting.put(connection, timer);
      if (waiting.size() > max) {
        Iterator<Map.Entry<HttpConnection, Long>> first = waiting.entrySet().iterator();
        Map.Entry<HttpConnection, Long> entry = first.next();
        first.remove();
        oldest = entry.getKey();
        vertx.cancelTimer(entry.getValue());
      }
    }
    connection.closeHandler(closed -> finished(connection));
    if (oldest != null) {
      counters.refused(Refusal.TOO_MANY_HANDSHAKES);
      log.warn("{}: closed: it waited longest of {} connections not upgraded (max-handshakes)",
          oldest.remoteAddress(), max);
      oldest.close();
    }
  }

  /**
   * The connection's handshake is over: upgraded, refused (and being closed) or closed. It no
   * longer counts as waiting, nor can it be closed or counted again for waiting.
   */
  void finished(HttpConnection connection) {
    Long timer;
    synchronized (waiting) {
      timer = waiting.remove(connection);
    }
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
  }

  /** False once the connection was closed for waiting too long, or to make room. */
  boolean isWaiting(HttpConnection connection) {
    synchronized (waiting) {
      return waiting.containsKey(connection);
    }
  }

  long timeoutMillis() {
    return timeoutMillis;
  }

  /** Connections waiting to upgrade now. */
  int pending() {
    synchronized (waiting) {
      return waiting.size();
    }
  }

  private boolean leave(HttpConnection connection) {
    synchronized (waiting) {
      return waiting.remove(connection) != null;
    }
  }
}
