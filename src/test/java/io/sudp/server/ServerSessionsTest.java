package io.sudp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoop;
import io.sudp.ops.DropCause;
import io.sudp.ops.Refusal;
import io.sudp.ops.TrafficCounters;
import io.sudp.protocol.CloseCodes;
import io.sudp.protocol.DataFrame;
import io.sudp.protocol.FlowSequence;
import io.sudp.protocol.OutboundData;
import io.sudp.protocol.SessionFrame;
import io.sudp.transport.PeerConnection;
import io.sudp.transport.QueueBudget;
import io.sudp.transport.QueueLimits;
import io.sudp.transport.SessionPort;
import io.sudp.transport.TestConnection;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Sessions on their own: admission and slots, resume, expiry and eviction, with connections whose
 * sockets record what is written to them.
 */
class ServerSessionsTest {
  private static final String ID = "0123456789abcdef0123456789abcdef";
  private static final String OTHER = "fedcba9876543210fedcba9876543210";
  private static final String THIRD = "00000000000000000000000000000003";

  private final Vertx vertx = Vertx.vertx();
  private final TrafficCounters counters = new TrafficCounters();

  @AfterEach
  void stopVertx() {
    vertx.close();
  }

  @Test
  void aSessionResumedWithItsIdKeepsWhatWasQueuedForIt() {
    ServerSessions sessions = sessions(Duration.ofMinutes(1));
    TestConnection first = new TestConnection();
    PeerConnection peer = attach(sessions, ID, null, first);
    sessions.detach(peer, null); // lost, no close code
    assertThat(sessions.waitingCount()).isEqualTo(1);
    peer.send(reply("queued while away"));

    TestConnection second = new TestConnection();
    PeerConnection resumed = attach(sessions, ID, null, second);

    assertThat(resumed.session()).isEqualTo(peer.session());
    await().until(() -> second.written().size() == 2);
    assertThat(second.written().get(0)).isEqualTo(new SessionFrame(true));
    assertThat(((DataFrame) second.written().get(1)).payload())
        .isEqualTo("queued while away".getBytes());
    assertThat(first.written()).containsExactly(new SessionFrame(false));
    assertThat(resumed.sessionEnded()).isFalse();
    assertThat(sessions.size()).isEqualTo(1);
    assertThat(sessions.waitingCount()).isZero();
  }

  @Test
  void aNewerConnectionOfASessionReplacesTheOlderOne() {
    ServerSessions sessions = sessions(Duration.ofMinutes(1));
    TestConnection first = new TestConnection();
    PeerConnection older = attach(sessions, ID, null, first);

    PeerConnection newer = attach(sessions, ID, null, new TestConnection());
    await().until(() -> first.closedWith() != null);

    assertThat(first.closedWith()).isEqualTo(CloseCodes.GOING_AWAY);
    sessions.detach(older, first.closedWith());
    assertThat(sessions.size()).as("the older connection's close leaves the session").isOne();
    assertThat(newer.sessionEnded()).isFalse();
  }

  @Test
  void aSessionNotResumedWithinTheResumeTimeoutEnds() {
    // Long enough that the reply and the check below come before it, even on a loaded machine.
    ServerSessions sessions = sessions(Duration.ofSeconds(2));
    PeerConnection peer = attach(sessions, ID, null, new TestConnection());
    sessions.detach(peer, CloseCodes.GOING_AWAY);
    peer.send(reply("never delivered"));
    assertThat(sessions.size()).isOne();

    await().atMost(Duration.ofSeconds(20)).until(() -> sessions.size() == 0);
    assertThat(peer.sessionEnded()).isTrue();
    assertThat(counters.drops(DropCause.CONNECTION_LOST)).isOne();
    assertThat(sessions.waitingCount()).isZero();
  }

  @Test
  void aClientThatLeavesEndsItsSessionAtOnce() {
    ServerSessions sessions = sessions(Duration.ofMinutes(1));
    PeerConnection peer = attach(sessions, ID, null, new TestConnection());

    sessions.detach(peer, CloseCodes.NORMAL);

    assertThat(sessions.size()).isZero();
    assertThat(peer.sessionEnded()).isTrue();
    PeerConnection again = attach(sessions, ID, null, new TestConnection());
    assertThat(again.sessionEnded()).as("the same id starts a new session").isFalse();
  }

  @Test
  void theServerHoldsAtMostItsMaximumOfSessionsAndAWaitingOneGivesWay() {
    ServerSessions sessions = sessions(Duration.ofMinutes(1));
    sessions.limit(2, user -> 0, QueueBudget.UNBOUNDED);
    PeerConnection first = attach(sessions, ID, null, new TestConnection());
    PeerConnection second = attach(sessions, OTHER, null, new TestConnection());

    SessionPort.Admission refused = sessions.admit(THIRD, null);
    assertThat(refused.refusal()).isEqualTo(Refusal.SERVER_FULL);
    sessions.cancel(refused);
    assertThat(sessions.size()).isEqualTo(2);

    sessions.detach(first, null);
    PeerConnection third = attach(sessions, THIRD, null, new TestConnection());

    assertThat(third).isNotNull();
    assertThat(first.sessionEnded()).isTrue();
    assertThat(second.sessionEnded()).isFalse();
    assertThat(sessions.size()).isEqualTo(2);
  }

  @Test
  void aUserHoldsAtMostItsMaximumOfSessionsAndOnlyItsOwnWaitingOneGivesWay() {
    ServerSessions sessions = sessions(Duration.ofMinutes(1));
    sessions.limit(10, user -> user.equals("alice") ? 1 : 0, QueueBudget.UNBOUNDED);
    PeerConnection bobs = attach(sessions, ID, "bob", new TestConnection());
    sessions.detach(bobs, null);
    PeerConnection alices = attach(sessions, ID, "alice", new TestConnection());
    assertThat(alices.session())
        .as("the same id of another user is another session")
        .isNotEqualTo(bobs.session());

    assertThat(sessions.admit(OTHER, "alice").refusal()).isEqualTo(Refusal.USER_CONNECTIONS);

    sessions.detach(alices, null);
    assertThat(attach(sessions, OTHER, "alice", new TestConnection())).isNotNull();
    assertThat(alices.sessionEnded()).isTrue();
    assertThat(bobs.sessionEnded()).isFalse();
    assertThat(sessions.waitingCount()).as("bob's session waits on").isOne();
  }

  @Test
  void anUpgradeThatDidNotHappenGivesItsSlotBack() {
    ServerSessions sessions = sessions(Duration.ofMinutes(1));
    sessions.limit(1, user -> 0, QueueBudget.UNBOUNDED);

    sessions.cancel(sessions.admit(ID, null));

    assertThat(sessions.admit(OTHER, null).refusal()).isNull();
  }

  private ServerSessions sessions(Duration resumeTimeout) {
    ServerSessions sessions =
        new ServerSessions(vertx, QueueLimits.DEFAULT, resumeTimeout, counters);
    return sessions;
  }

  /** Admits and attaches a connection on an event loop, as the server does on upgrade. */
  private PeerConnection attach(
      ServerSessions sessions, String id, String user, TestConnection connection) {
    EventLoop loop = (EventLoop) vertx.nettyEventLoopGroup().next();
    return connection.attach(sessions, id, user, loop, counters);
  }

  private static OutboundData reply(String text) {
    return new OutboundData(1, new FlowSequence(), text.getBytes());
  }
}
