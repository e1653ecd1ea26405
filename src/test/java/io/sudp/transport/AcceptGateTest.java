package io.sudp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sudp.ops.Refusal;
import io.sudp.ops.TrafficCounters;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The gate's accounting of connections that have not upgraded, on Netty's embedded channels. */
class AcceptGateTest {
  private static final long TIMEOUT_MS = 1_000;

  private final TrafficCounters counters = new TrafficCounters();
  private final AcceptGate gate =
      new AcceptGate(2, TIMEOUT_MS, false, ClientAddressRule.PEER, counters);
  private final EmbeddedChannel listening = new EmbeddedChannel();

  AcceptGateTest() {
    gate.guard(listening);
  }

  private EmbeddedChannel accept() {
    EmbeddedChannel connection = new EmbeddedChannel();
    listening.writeInbound(connection);
    assertThat((Channel) listening.readInbound()).as("passed on").isSameAs(connection);
    return connection;
  }

  private static void timePasses(EmbeddedChannel channel, long millis) {
    channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
    channel.runPendingTasks();
  }

  @Test
  void aConnectionThatDoesNotUpgradeIsClosedAtItsTimeout() {
    EmbeddedChannel connection = accept();
    assertThat(gate.isWaiting(connection)).isTrue();

    timePasses(listening, TIMEOUT_MS);

    assertThat(connection.isOpen()).isFalse();
    assertThat(gate.pending()).isZero();
    assertThat(counters.refusals(Refusal.HANDSHAKE_TIMEOUT)).isEqualTo(1);
  }

  @Test
  void aConnectionAcceptedBeforeTheGateWasInPlaceIsTakenInWhenItReachesHttp() {
    EmbeddedChannel early = new EmbeddedChannel(); // the gate never saw it accepted

    gate.secured(early);

    assertThat(gate.isWaiting(early)).as("answered, not ignored, when its request comes").isTrue();
    timePasses(early, TIMEOUT_MS);
    assertThat(early.isOpen()).as("held to the handshake timeout").isFalse();
    assertThat(counters.refusals(Refusal.HANDSHAKE_TIMEOUT)).isEqualTo(1);
  }

  @Test
  void aConnectionIsTakenInOnceAndNotAgainAfterItsHandshake() {
    EmbeddedChannel connection = accept();
    gate.secured(connection);
    assertThat(gate.pending()).isEqualTo(1);

    gate.finished(connection);
    gate.secured(connection);

    assertThat(gate.isWaiting(connection)).isFalse();
    timePasses(listening, TIMEOUT_MS);
    assertThat(connection.isOpen()).as("upgraded: no longer timed").isTrue();
  }

  @Test
  void beyondTheLimitTheOldestWaitingConnectionMakesRoom() {
    EmbeddedChannel oldest = accept();
    EmbeddedChannel next = accept();
    EmbeddedChannel newest = accept();

    assertThat(oldest.isOpen()).isFalse();
    assertThat(next.isOpen()).isTrue();
    assertThat(newest.isOpen()).isTrue();
    assertThat(gate.pending()).isEqualTo(2);
    assertThat(counters.refusals(Refusal.TOO_MANY_HANDSHAKES)).isEqualTo(1);
  }

  @Test
  void aConnectionWhosePasswordIsCheckedIsNotClosedToMakeRoom() {
    EmbeddedChannel checked = accept();
    gate.checking(checked);
    EmbeddedChannel first = accept();
    accept();
    accept();

    assertThat(checked.isOpen()).isTrue();
    assertThat(first.isOpen()).as("the oldest that may make room").isFalse();
    timePasses(listening, TIMEOUT_MS);
    assertThat(checked.isOpen()).as("but timed out").isFalse();
  }
}
