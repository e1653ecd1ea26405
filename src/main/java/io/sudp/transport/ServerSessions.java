package io.sudp.transport;

import io.sudp.ops.DropCause;
import io.sudp.ops.Direction;
import io.sudp.ops.TrafficCounters;
import io.sudp.protocol.CloseCodes;
import io.sudp.protocol.SessionFrame;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketBase;
import io.netty.channel.EventLoop;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's client sessions. A session outlives its WebSocket connection for the resume timeout:
 * a client that reconnects with the same session id (a network blip, a proxy restart) gets its flows
 * back with their UDP sockets, sequence numbers and queued replies, and nothing but what was in
 * flight is lost. A session whose client said goodbye, or did not come back in time, ends.
 */
final class ServerSessions {
  /** The handshake header that carries the client's session id. */
  static final String HEADER = "Sudp-Session";

  private static final Logger LOG = LoggerFactory.getLogger(ServerSessions.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Vertx vertx;
  private final QueueLimits queue;
  private final long resumeTimeoutMillis;
  private final TrafficCounters counters;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private volatile Consumer<String> endListener = id -> {};

  private static final class Session {
    final String id;
    final FrameWriter writer;
    PeerConnection peer;
    long expiryTimer = -1;

    Session(String id, FrameWriter writer) {
      this.id = id;
      this.writer = writer;
    }
  }

  ServerSessions(Vertx vertx, QueueLimits queue, Duration resumeTimeout, TrafficCounters counters) {
    this.vertx = vertx;
    this.queue = queue;
    this.resumeTimeoutMillis = resumeTimeout.toMillis();
    this.counters = counters;
  }

  void onEnd(Consumer<String> listener) {
    this.endListener = listener;
  }

  /** A session id from the client's header, or a fresh one if it sent none or a malformed one. */
  static String idFrom(String header) {
    if (header != null && header.matches("[0-9a-f]{32}")) {
      return header;
    }
    byte[] id = new byte[16];
    RANDOM.nextBytes(id);
    return HexFormat.of().formatHex(id);
  }

  /**
   * Attaches a new connection to its session, resuming it if it is still there. A session belongs
   * to its user: the same id presented by another user is another session.
   */
  PeerConnection attach(String sessionId, String user, WebSocketBase socket, EventLoop loop) {
    String id = user == null ? sessionId : user + "/" + sessionId;
    PeerConnection replaced;
    PeerConnection peer;
    boolean resumed;
    while (true) {
      Session session = sessions.computeIfAbsent(id,
          key -> new Session(key, new FrameWriter(queue, counters, Direction.DOWNSTREAM)));
      synchronized (session) {
        if (sessions.get(id) != session) {
          continue; // it ended just now: start a new one
        }
        resumed = session.peer != null || session.expiryTimer != -1;
        if (session.expiryTimer != -1) {
          vertx.cancelTimer(session.expiryTimer);
          session.expiryTimer = -1;
        }
        replaced = session.peer;
        peer = new PeerConnection(socket, loop, session.writer, id, user);
        session.peer = peer;
        session.writer.detach();
        session.writer.attach(socket, loop, List.of(new SessionFrame(resumed)));
        break;
      }
    }
    if (replaced != null) {
      replaced.close(CloseCodes.GOING_AWAY, "replaced by a newer connection of the session");
    }
    if (resumed) {
      LOG.info("{} resumed its session", peer);
    }
    return peer;
  }

  /**
   * The connection closed. If it was lost (no close code) or went away (1001: a keepalive timeout,
   * a proxy or server restart) the session waits for the resume timeout; any other close (the
   * client left with 1000, or broke the protocol) ends it now.
   */
  void detach(PeerConnection peer, Short closeCode) {
    Session session = sessions.get(peer.session());
    if (session == null) {
      return;
    }
    synchronized (session) {
      if (session.peer != peer) {
        return; // replaced by a newer connection
      }
      session.peer = null;
      session.writer.detach();
      if (closeCode == null || closeCode == CloseCodes.GOING_AWAY) {
        session.expiryTimer = vertx.setTimer(resumeTimeoutMillis, id -> expire(session));
      } else {
        end(session);
      }
    }
  }

  private void expire(Session session) {
    synchronized (session) {
      if (session.peer != null || session.expiryTimer == -1) {
        return;
      }
      session.expiryTimer = -1;
      end(session);
    }
  }

  /** Ends a session; call holding its lock, so that no connection attaches to it meanwhile. */
  private void end(Session session) {
    sessions.remove(session.id, session);
    session.writer.discard(DropCause.CONNECTION_LOST);
    endListener.accept(session.id);
  }

  /** Sessions alive, connected or waiting to be resumed. */
  int size() {
    return sessions.size();
  }

  /** Ends every session now (the server stops); their connections are closed by the caller. */
  void endAll() {
    for (Session session : sessions.values()) {
      synchronized (session) {
        if (session.expiryTimer != -1) {
          vertx.cancelTimer(session.expiryTimer);
        }
        end(session);
      }
    }
  }
}
