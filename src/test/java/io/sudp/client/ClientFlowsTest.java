package io.sudp.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.sudp.ops.SequenceGaps;
import io.sudp.ops.TrafficCounters;
import io.sudp.protocol.CloseFrame;
import io.sudp.protocol.Destination;
import io.sudp.protocol.FlowCloseReason;
import io.sudp.protocol.Frame;
import io.sudp.protocol.OutboundOpen;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client's flow table on a clock the test moves, telling a recording server what it does. */
class ClientFlowsTest {
  private static final Destination DNS = Destination.parse("192.0.2.1:53");
  private static final Duration IDLE = Duration.ofSeconds(10);

  private final List<Frame> sent = new ArrayList<>();
  private final AtomicLong now = new AtomicLong(1_000_000_000);
  private final AtomicInteger ids = new AtomicInteger();
  private final ClientFlows flows = table();
  private final ClientTunnel dns = tunnel("dns", IDLE);
  private final EmbeddedChannel listener = new EmbeddedChannel();

  @AfterEach
  void close() {
    listener.finishAndReleaseAll();
  }

  private ClientFlows table() {
    return new ClientFlows((frame, peer) -> sent.add(frame), ids, now::get);
  }

  private ClientTunnel tunnel(String name, Duration idle) {
    return new ClientTunnel(name, DNS, idle.toNanos(), 0, flows, new TrafficCounters());
  }

  private ClientFlow open(ClientTunnel tunnel, int senderPort) {
    return flows.open(tunnel, new InetSocketAddress("127.0.0.1", senderPort), listener);
  }

  private void elapse(Duration time) {
    now.addAndGet(time.toNanos());
  }

  @Test
  void openingAFlowTellsTheServerWhereItGoes() {
    ClientFlow flow = open(dns, 40_000);

    assertThat(flow.id()).isEqualTo(1);
    assertThat(flow.sender()).isEqualTo(new InetSocketAddress("127.0.0.1", 40_000));
    assertThat(flow.listener()).isSameAs(listener);
    assertThat(flows.get(1)).isSameAs(flow);
    assertThat(flows.size()).isEqualTo(1);
    assertThat(sent).containsExactly(new OutboundOpen(1, DNS, flow.upstream()));
  }

  @Test
  void idsAreOneNumberingForTheWholeClientAndNeverReused() {
    ClientFlows otherConnection = table();
    open(dns, 40_000);
    flows.close(1);

    assertThat(open(dns, 40_000).id()).as("the same sender again").isEqualTo(2);
    assertThat(otherConnection.open(dns, new InetSocketAddress(40_001), listener).id())
        .isEqualTo(3);
  }

  @Test
  void idZeroIsSkippedWhenTheNumbersWrapAround() {
    ids.set(-1);

    assertThat(open(dns, 40_000).id()).isEqualTo(1);
  }

  @Test
  void closingAFlowForgetsItAndTellsTheServer() {
    ClientFlow flow = open(dns, 40_000);
    sent.clear();

    assertThat(flows.close(flow.id())).isTrue();
    assertThat(flows.get(flow.id())).isNull();
    assertThat(flows.size()).isZero();
    assertThat(sent).containsExactly(new CloseFrame(flow.id(), FlowCloseReason.NORMAL));
    assertThat(flows.close(flow.id())).as("no such flow any more").isFalse();
    assertThat(sent).hasSize(1);
  }

  @Test
  void aFlowTheServerClosedIsForgottenWithoutAnAnswer() {
    ClientFlow flow = open(dns, 40_000);
    sent.clear();

    flows.remove(flow);

    assertThat(flows.get(flow.id())).isNull();
    assertThat(sent).isEmpty();
  }

  @Test
  void aRefusedFlowIsNeitherReopenedNorClosedOnTheServer() {
    ClientFlow refused = open(dns, 40_000);
    ClientFlow live = open(dns, 40_001);
    refused.refuse();
    sent.clear();

    assertThat(flows.reopenFrames()).containsExactly(new OutboundOpen(2, DNS, live.upstream()));
    flows.close(refused.id());
    assertThat(sent).isEmpty();
  }

  @Test
  void aNewConnectionReopensEveryLiveFlow() {
    ClientFlow first = open(dns, 40_000);
    ClientFlow second = open(tunnel("other", IDLE), 40_001);

    assertThat(flows.reopenFrames())
        .containsExactlyInAnyOrder(
            new OutboundOpen(first.id(), DNS, first.upstream()),
            new OutboundOpen(second.id(), DNS, second.upstream()));
  }

  @Test
  void aFlowIdleForLongerThanItsTunnelsTimeoutIsClosed() {
    ClientFlow quiet = open(dns, 40_000);
    elapse(Duration.ofSeconds(5));
    ClientFlow busy = open(dns, 40_001);
    sent.clear();

    elapse(Duration.ofSeconds(5));
    flows.expireIdle();
    assertThat(flows.size()).as("idle for exactly the timeout").isEqualTo(2);

    elapse(Duration.ofNanos(1));
    busy.touch();
    flows.expireIdle();
    assertThat(sent).containsExactly(new CloseFrame(quiet.id(), FlowCloseReason.NORMAL));

    elapse(IDLE);
    flows.expireIdle();
    assertThat(flows.get(busy.id()))
        .as("idle for the timeout since it was last used")
        .isSameAs(busy);
  }

  @Test
  void eachFlowIdlesOutByItsOwnTunnelsTimeout() {
    ClientFlow brief = open(tunnel("brief", Duration.ofSeconds(1)), 40_000);
    ClientFlow patient = open(dns, 40_001);

    elapse(Duration.ofSeconds(2));
    flows.expireIdle();

    assertThat(flows.get(brief.id())).isNull();
    assertThat(flows.get(patient.id())).isSameAs(patient);
  }

  @Test
  void aServerThatStartedOverNumbersItsRepliesFromZeroAgain() {
    ClientFlow flow = open(dns, 40_000);
    flow.downstreamGaps().observe(5, Long.MAX_VALUE, Long.MAX_VALUE);

    flows.serverStartedOver();

    assertThat(flow.downstreamGaps().observe(0, 0, Long.MAX_VALUE))
        .as("the first reply of the new session, not one that came late")
        .isNotEqualTo(SequenceGaps.LATE)
        .isZero();
  }

  @Test
  void eachFlowIsDescribedOnOneLine() {
    open(dns, 40_000);
    open(dns, 40_001).refuse();
    elapse(Duration.ofMillis(3_500));

    assertThat(flows.describe())
        .containsExactlyInAnyOrder(
            "flow 1: tunnel dns, /127.0.0.1:40000 -> 192.0.2.1:53, idle 3 s",
            "flow 2: tunnel dns, /127.0.0.1:40001 -> 192.0.2.1:53, idle 3 s"
                + " (refused by the server)");
  }
}
