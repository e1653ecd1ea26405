package io.sudp.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.sudp.ops.DropCause;
import io.sudp.ops.TrafficCounters;
import io.sudp.protocol.CloseFrame;
import io.sudp.protocol.DataFrame;
import io.sudp.protocol.Destination;
import io.sudp.protocol.FlowCloseReason;
import io.sudp.protocol.Frame;
import io.sudp.protocol.OutboundData;
import io.sudp.protocol.SessionFrame;
import io.sudp.udp.ReceivedDatagram;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The frames of a message from the server reach the local applications: replies go to their flow's
 * sender from the listener the flow came in on; CLOSE frames end or refuse flows; a session the
 * server started over is reported.
 */
class ReplyDeliveryTest {
  private static final InetSocketAddress APP = new InetSocketAddress("127.0.0.1", 40001);

  private final List<Frame> toServer = new ArrayList<>();
  private final ClientFlows flows =
      new ClientFlows((frame, peer) -> toServer.add(frame), new AtomicInteger());
  private final TrafficCounters counters = new TrafficCounters();
  private final AtomicInteger newSessions = new AtomicInteger();
  private final ReplyDelivery delivery =
      new ReplyDelivery(
          flows,
          ReverseTunnels.none((frame, peer) -> toServer.add(frame), counters),
          counters,
          newSessions::incrementAndGet);
  private final ClientTunnel tunnel =
      new ClientTunnel(
          "dns", new Destination("192.0.2.53", 53), 60_000_000_000L, 0, flows, counters);
  private final EmbeddedChannel listener = new EmbeddedChannel();

  @AfterEach
  void close() {
    listener.finishAndReleaseAll();
  }

  /** The flow of a datagram from {@code sender}, opened as the tunnel opens it. */
  private int flowOf(InetSocketAddress sender) {
    List<OutboundData> frames =
        tunnel.frame(List.of(new ReceivedDatagram(new byte[] {1}, sender)), listener);
    return frames.isEmpty() ? 0 : frames.get(0).flowId();
  }

  @Test
  void repliesGoToTheirSenderFromItsListenerInOrder() {
    int flow = flowOf(APP);

    delivery.deliver(
        List.of(new DataFrame(flow, 0, new byte[] {7, 7}), new DataFrame(flow, 1, new byte[] {8})),
        null);

    DatagramPacket first = listener.readOutbound();
    DatagramPacket second = listener.readOutbound();
    try {
      assertThat(first.recipient()).isEqualTo(APP);
      assertThat(ByteBufUtil.getBytes(first.content())).containsExactly(7, 7);
      assertThat(ByteBufUtil.getBytes(second.content())).containsExactly(8);
    } finally {
      first.release();
      second.release();
    }
    assertThat(counters.downstreamDatagrams()).isEqualTo(2);
    assertThat(tunnel.traffic().downBytes()).isEqualTo(3);
  }

  @Test
  void aReplyOfNoKnownFlowIsDroppedAndCounted() {
    delivery.deliver(List.of(new DataFrame(99, 0, new byte[] {1})), null);

    assertThat((Object) listener.readOutbound()).isNull();
    assertThat(counters.drops(DropCause.UNKNOWN_FLOW)).isEqualTo(1);
  }

  @Test
  void aRefusedDestinationKeepsTheFlowButDropsItsDatagrams() {
    int flow = flowOf(APP);

    delivery.deliver(List.of(new CloseFrame(flow, FlowCloseReason.FORBIDDEN)), null);

    assertThat(flowOf(APP)).as("datagrams of a refused flow are not sent").isZero();
    assertThat(counters.drops(DropCause.FORBIDDEN)).isEqualTo(1);
    assertThat(flows.size()).isEqualTo(1);
  }

  @Test
  void aFlowTheServerClosedIsOpenedAgainByTheNextDatagram() {
    int flow = flowOf(APP);
    toServer.clear();

    delivery.deliver(List.of(new CloseFrame(flow, FlowCloseReason.IDLE)), null);

    assertThat(flows.size()).isZero();
    assertThat(flowOf(APP)).isNotEqualTo(flow);
    assertThat(toServer).as("the new flow's OPEN").hasSize(1);
  }

  @Test
  void aSessionTheServerStartedOverIsReportedAResumedOneIsNot() {
    delivery.deliver(List.of(new SessionFrame(true)), null);
    assertThat(newSessions).hasValue(0);

    delivery.deliver(List.of(new SessionFrame(false)), null);
    assertThat(newSessions).hasValue(1);
  }
}
