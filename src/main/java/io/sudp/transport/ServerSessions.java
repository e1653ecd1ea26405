package io.sudp.transport;

import io.netty.channel.EventLoop;
import io.sudp.ops.Direction;
import io.sudp.ops.DropCause;
import io.sudp.ops.RateLimitedLog;
import io.sudp.ops.Refusal;
import io.sudp.ops.Slots;
import io.sudp.ops.TrafficCounters;
import io.sudp.protocol.CloseCodes;
import io.sudp.protocol.SessionFrame;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketBase;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's client sessions. A session outlives its WebSocket connection for the resume timeout:
 * a client that reconnects with the same session id (a network blip, a proxy restart) gets its
 * flows back with their UDP sockets, sequence numbers and queued replies, and nothing but what was
 * in flight is lost. A session whose client said goodbye, or did not come back in time, ends.
 *
 * <p>A session holds a slot from its start to its end, whether connected or waiting to be resumed:
 * at most {@code maxSessions} on the server and the user's limit per user. A new session that finds
 * no slot free takes the one of the session that has waited longest for its client (of the same
 * user, where the user's limit is the one reached): sessions nobody uses pay for the bound, never a
 * client that is here. Slots are reserved before the upgrade, atomically.
 */
final class ServerSessions {
  /** The handshake header that carries the client's session id. */
  static final String HEADER = "Sudp-Session";

  private static final Logger LOG = LoggerFactory.getLogger(ServerSessions.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Vertx vertx;
  private final QueueLimits queue;
  private volatile QueueBudget budget = QueueBudget.UNBOUNDED;
  private final long resumeTimeoutMillis;
  private final TrafficCounters counters;
  private final Violations violations;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Deque<Session> waiting = new ConcurrentLinkedDeque<>();
  private final Map<String, Slots> userSlots = new ConcurrentHashMap<>();
  private final RateLimitedLog evictions = new RateLimitedLog(LOG);
  private final RateLimitedLog resumptions = new RateLimitedLog(LOG, 10, Duration.ofMinutes(1));
  private volatile Slots slots = new Slots(Integer.MAX_VALUE);
  private volatile ToIntFunction<String> maxPerUser = user -> 0;
  private volatile Consumer<String> endListener = id -> {};

  private static final class Session {
    final String key;
    final String user;
    final boolean userCounted;
    final FrameWriter writer;
    final AtomicBoolean ended = new AtomicBoolean();
    PeerConnection peer;
    long expiryTimer = -1;

    Session(String key, String user, boolean userCounted, FrameWriter writer) {
      this.key = key;
      this.user = user;
      this.userCounted = userCounted;
      this.writer = writer;
    }

    boolean isWaiting() {
      return peer == null && expiryTimer != -1;
    }
  }

  /**
   * An upgrade that may go ahead: the session it names, and whether it holds a slot reserved for a
   * new session. Refused if {@link #refusal()} is not null.
   */
  static final class Admission {
    private final String key;
    private final String user;
    private boolean slot;
    private boolean userCounted;
    private Refusal refusal;

    private Admission(String key, String user) {
      this.key = key;
      this.user = user;
    }

    /** Why the upgrade is refused, or null. */
    Refusal refusal() {
      return refusal;
    }
  }

  ServerSessions(
      Vertx vertx,
      QueueLimits queue,
      Duration resumeTimeout,
      TrafficCounters counters,
      Violations violations) {
    this.vertx = vertx;
    this.queue = queue;
    this.resumeTimeoutMillis = resumeTimeout.toMillis();
    this.counters = counters;
    this.violations = violations;
  }

  void limit(int maxSessions, ToIntFunction<String> maxPerUser, QueueBudget budget) {
    this.slots = new Slots(maxSessions);
    this.maxPerUser = maxPerUser;
    this.budget = budget;
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
   * Decides, before the upgrade, whether a client may connect: one that resumes a live session
   * needs nothing more; a new session needs a slot, reserved now. A session belongs to its user:
   * the same id presented by another user is another session.
   */
  Admission admit(String header, String user) {
    String id = idFrom(header);
    Admission admission = new Admission(user == null ? id : user + "/" + id, user);
    if (!sessions.containsKey(admission.key)) {
      reserve(admission);
    }
    return admission;
  }

  /** The upgrade did not happen: the admission's slot is free again. */
  void cancel(Admission admission) {
    if (admission.slot) {
      admission.slot = false;
      release(admission.user, admission.userCounted);
    }
  }

  /**
   * Attaches a new connection to its session, resuming it if it is still there; null if the session
   * it meant to resume ended meanwhile and no slot is free for a new one.
   */
  PeerConnection attach(Admission admission, WebSocketBase socket, EventLoop loop) {
    PeerConnection replaced;
    PeerConnection peer;
    boolean resumed;
    while (true) {
      Session session = sessions.get(admission.key);
      if (session == null) {
        if (!admission.slot && !reserve(admission)) {
          return null;
        }
        Session fresh =
            new Session(
                admission.key,
                admission.user,
                admission.userCounted,
                new FrameWriter(queue, counters, Direction.DOWNSTREAM, budget));
        if (sessions.putIfAbsent(admission.key, fresh) != null) {
          continue; // another connection of the same new session was quicker
        }
        admission.slot = false; // the session holds it now
        session = fresh;
      }
      synchronized (session) {
        if (sessions.get(admission.key) != session) {
          continue; // it ended just now: start a new one
        }
        resumed = session.peer != null || session.expiryTimer != -1;
        if (session.expiryTimer != -1) {
          vertx.cancelTimer(session.expiryTimer);
          session.expiryTimer = -1;
          waiting.remove(session);
        }
        replaced = session.peer;
        peer =
            new PeerConnection(
                socket,
                loop,
                session.writer,
                session.key,
                admission.user,
                violations,
                session.ended);
        session.peer = peer;
        session.writer.detach();
        session.writer.attach(socket, loop, List.of(new SessionFrame(resumed)));
        break;
      }
    }
    cancel(admission); // resumed a session that has its slot
    if (replaced != null) {
      replaced.close(CloseCodes.GOING_AWAY, "replaced by a newer connection of the session");
    }
    if (resumed) {
      resumptions.info("{} resumed its session", peer);
    }
    return peer;
  }

  /**
   * The connection closed. A session whose connection was lost, went away or was disconnected by an
   * operator waits for the resume timeout (see {@link PeerConnection#endsSession}); any other close
   * ends it now.
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
      if (peer.endsSession(closeCode)) {
        end(session);
      } else {
        session.expiryTimer = vertx.setTimer(resumeTimeoutMillis, id -> expire(session));
        waiting.add(session);
      }
    }
  }

  /**
   * Ends the session that has waited longest for its client to resume, to free what it holds for a
   * client that is here; false if no session is waiting.
   */
  boolean endLongestWaiting() {
    return endLongestWaiting(session -> true);
  }

  private boolean endLongestWaiting(Predicate<Session> which) {
    for (Session session : waiting) {
      if (!which.test(session)) {
        continue;
      }
      synchronized (session) {
        if (session.isWaiting() && sessions.get(session.key) == session) {
          vertx.cancelTimer(session.expiryTimer);
          session.expiryTimer = -1;
          end(session);
          evictions.warn(
              "ended the session that waited longest for its client (user {}) to"
                  + " make room for a client that is here",
              session.user == null ? "-" : session.user);
          return true;
        }
      }
    }
    return false;
  }

  private void expire(Session session) {
    synchronized (session) {
      if (!session.isWaiting()) {
        return;
      }
      session.expiryTimer = -1;
      end(session);
    }
  }

  /** Ends a session; call holding its lock, so that no connection attaches to it meanwhile. */
  private void end(Session session) {
    if (sessions.remove(session.key, session)) {
      session.ended.set(true);
      waiting.remove(session);
      release(session.user, session.userCounted);
      session.writer.discard(DropCause.CONNECTION_LOST);
      endListener.accept(session.key);
    }
  }

  /**
   * Reserves a slot for the admission's new session, ending waiting sessions where that makes room;
   * false, with the refusal set, where it cannot.
   */
  private boolean reserve(Admission admission) {
    String user = admission.user;
    int perUser = user == null ? 0 : maxPerUser.applyAsInt(user);
    Slots ofUser = perUser > 0 ? userSlots.computeIfAbsent(user, name -> new Slots(perUser)) : null;
    while (true) {
      if (ofUser != null && !ofUser.tryTake()) {
        if (endLongestWaiting(session -> user.equals(session.user))) {
          continue;
        }
        admission.refusal = Refusal.USER_CONNECTIONS;
        return false;
      }
      if (slots.tryTake()) {
        admission.slot = true;
        admission.userCounted = ofUser != null;
        admission.refusal = null;
        return true;
      }
      if (ofUser != null) {
        ofUser.release(1);
      }
      if (!endLongestWaiting()) {
        admission.refusal = Refusal.SERVER_FULL;
        return false;
      }
    }
  }

  private void release(String user, boolean userCounted) {
    slots.release(1);
    if (userCounted) {
      userSlots.get(user).release(1);
    }
  }

  /** Sessions alive, connected or waiting to be resumed. */
  int size() {
    return sessions.size();
  }

  /** Sessions waiting for their client to resume them. */
  int waitingCount() {
    return waiting.size();
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
