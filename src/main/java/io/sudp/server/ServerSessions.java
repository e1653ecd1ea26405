package io.sudp.server;

import io.sudp.ops.Direction;
import io.sudp.ops.DropCause;
import io.sudp.ops.RateLimitedLog;
import io.sudp.ops.Refusal;
import io.sudp.ops.Slots;
import io.sudp.ops.TrafficCounters;
import io.sudp.protocol.CloseCodes;
import io.sudp.transport.FrameWriter;
import io.sudp.transport.PeerConnection;
import io.sudp.transport.QueueBudget;
import io.sudp.transport.QueueLimits;
import io.sudp.transport.SessionPort;
import io.sudp.transport.Upgraded;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
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
 *
 * <p>The WebSocket server brings the connections through the {@link SessionPort} it defines. Each
 * session is a {@link ServerSession}, which also holds the session's flows and frees them when it
 * ends.
 */
public final class ServerSessions implements SessionPort {
  private static final Logger LOG = LoggerFactory.getLogger(ServerSessions.class);

  private final Vertx vertx;
  private final QueueLimits queue;
  private volatile QueueBudget budget = QueueBudget.UNBOUNDED;
  private final long resumeTimeoutMillis;
  private final TrafficCounters counters;
  private final Map<String, ServerSession> sessions = new ConcurrentHashMap<>();
  private final Deque<ServerSession> waiting = new ConcurrentLinkedDeque<>();
  private final Map<String, Slots> userSlots = new ConcurrentHashMap<>();
  private final RateLimitedLog evictions = new RateLimitedLog(LOG);
  private final RateLimitedLog resumptions = new RateLimitedLog(LOG, 10, Duration.ofMinutes(1));
  private volatile Slots slots = new Slots(Integer.MAX_VALUE);
  private volatile ToIntFunction<String> maxPerUser = user -> 0;

  /**
   * An upgrade that may go ahead: the session it names, and whether it holds a slot reserved for a
   * new session. Refused if {@link #refusal()} is not null.
   */
  private static final class Ticket implements Admission {
    private final String key;
    private final String user;
    private boolean slot;
    private boolean userCounted;
    private Refusal refusal;

    private Ticket(String key, String user) {
      this.key = key;
      this.user = user;
    }

    @Override
    public Refusal refusal() {
      return refusal;
    }
  }

  /**
   * @param queue the bounds of each session's queue of frames for its client
   * @param resumeTimeout how long a session whose connection was lost waits for its client
   */
  public ServerSessions(
      Vertx vertx, QueueLimits queue, Duration resumeTimeout, TrafficCounters counters) {
    this.vertx = vertx;
    this.queue = queue;
    this.resumeTimeoutMillis = resumeTimeout.toMillis();
    this.counters = counters;
  }

  /**
   * At most {@code maxSessions} sessions, connected or waiting to be resumed, and {@code
   * maxPerUser} (0: any number) for one user; what their queues hold together within {@code
   * budget}. Call before the server starts.
   */
  public void limit(int maxSessions, ToIntFunction<String> maxPerUser, QueueBudget budget) {
    this.slots = new Slots(maxSessions);
    this.maxPerUser = maxPerUser;
    this.budget = budget;
  }

  /**
   * A client that resumes a live session needs nothing more; a new session needs a slot, reserved
   * now. A session belongs to its user: the same id presented by another user is another session.
   */
  @Override
  public Admission admit(String id, String user) {
    Ticket admission = new Ticket(user == null ? id : user + "/" + id, user);
    if (!sessions.containsKey(admission.key)) {
      reserve(admission);
    }
    return admission;
  }

  @Override
  public void cancel(Admission admitted) {
    Ticket admission = (Ticket) admitted; // only this class makes them
    if (admission.slot) {
      admission.slot = false;
      release(admission.user, admission.userCounted);
    }
  }

  @Override
  public PeerConnection attach(Admission admitted, Upgraded connection) {
    Ticket admission = (Ticket) admitted;
    PeerConnection replaced;
    PeerConnection peer;
    boolean resumed;
    while (true) {
      ServerSession session = sessions.get(admission.key);
      if (session == null) {
        if (!admission.slot && !reserve(admission)) {
          return null;
        }
        ServerSession fresh =
            new ServerSession(
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
        peer = connection.carry(session.writer, session.key, admission.user, session, resumed);
        session.peer = peer;
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
  @Override
  public void detach(PeerConnection peer, Short closeCode) {
    ServerSession session = sessions.get(peer.session());
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
  public boolean endLongestWaiting() {
    return endLongestWaiting(session -> true);
  }

  private boolean endLongestWaiting(Predicate<ServerSession> which) {
    for (ServerSession session : waiting) {
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

  private void expire(ServerSession session) {
    synchronized (session) {
      if (!session.isWaiting()) {
        return;
      }
      session.expiryTimer = -1;
      end(session);
    }
  }

  /**
   * Ends a session; call holding its lock, so that no connection attaches to it meanwhile. Its
   * flows are freed while its id still names it: a new session of the same id can only start once
   * it is gone, and so never finds the server's flows still held by this one.
   */
  private void end(ServerSession session) {
    if (sessions.get(session.key) != session || !session.end()) {
      return;
    }
    sessions.remove(session.key, session);
    waiting.remove(session);
    release(session.user, session.userCounted);
    session.writer.discard(DropCause.CONNECTION_LOST);
  }

  /**
   * Reserves a slot for the admission's new session, ending waiting sessions where that makes room;
   * false, with the refusal set, where it cannot.
   */
  private boolean reserve(Ticket admission) {
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
  public int size() {
    return sessions.size();
  }

  @Override
  public int waitingCount() {
    return waiting.size();
  }

  @Override
  public void endAll() {
    for (ServerSession session : sessions.values()) {
      synchronized (session) {
        if (session.expiryTimer != -1) {
          vertx.cancelTimer(session.expiryTimer);
        }
        end(session);
      }
    }
  }
}
