package io.sudp.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.sudp.ops.DropCause;
import io.sudp.ops.TrafficCounters;
import io.sudp.protocol.Destination;
import io.sudp.protocol.Frame;
import io.sudp.protocol.Limits;
import io.sudp.protocol.OutboundData;
import io.sudp.protocol.OutboundOpen;
import io.sudp.udp.ReceivedDatagram;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A burst read by a tunnel's listener becomes the frames of its senders' flows, in order: a new
 * sender opens a flow first, a known one reuses it, and what the tunnel cannot carry is left out
 * and counted.
 */
class ClientTunnelTest {
  private static final Destination DESTINATION = new Destination("192.0.2.53", 53);
  private static final InetSocketAddress ALICE = new InetSocketAddress("127.0.0.1", 40001);
  private static final InetSocketAddress BOB = new InetSocketAddress("127.0.0.1", 40002);

  private final List<Frame> toServer = new ArrayList<>();
  private final ClientFlows flows =
      new ClientFlows((frame, peer) -> toServer.add(frame), new AtomicInteger());
  private final TrafficCounters counters = new TrafficCounters();
  private final EmbeddedChannel listener = new EmbeddedChannel();

  @AfterEach
  void close() {
    listener.finishAndReleaseAll();
  }

  private ClientTunnel tunnel(long maxDatagramsPerSecond) {
    return new ClientTunnel(
        "dns", DESTINATION, 60_000_000_000L, maxDatagramsPerSecond, flows, counters);
  }

  private static ReceivedDatagram datagram(InetSocketAddress sender, int length, int fill) {
    byte[] payload = new byte[length];
    java.util.Arrays.fill(payload, (byte) fill);
    return new ReceivedDatagram(payload, sender);
  }

  @Test
  void eachSenderGetsOneFlowAndTheBurstKeepsItsOrder() {
    ClientTunnel tunnel = tunnel(0);
    List<ReceivedDatagram> burst =
        List.of(datagram(ALICE, 10, 1), datagram(BOB, 20, 2), datagram(ALICE, 30, 3));

    List<OutboundData> frames = tunnel.frame(burst, listener);

    assertThat(frames)
        .extracting(OutboundData::payload)
        .containsExactly(burst.get(0).payload(), burst.get(1).payload(), burst.get(2).payload());
    assertThat(frames.get(0).flowId()).isEqualTo(frames.get(2).flowId());
    assertThat(frames.get(1).flowId()).isNotEqualTo(frames.get(0).flowId());
    assertThat(toServer)
        .as("one OPEN per new sender, to the tunnel's destination")
        .hasSize(2)
        .allSatisfy(open -> assertThat(((OutboundOpen) open).destination()).isEqualTo(DESTINATION));
    assertThat(tunnel.flowCount()).isEqualTo(2);
    assertThat(tunnel.traffic().upDatagrams()).isEqualTo(3);
    assertThat(tunnel.traffic().upBytes()).isEqualTo(60);

    tunnel.frame(List.of(datagram(BOB, 5, 4)), listener);
    assertThat(toServer).as("a known sender opens nothing").hasSize(2);
  }

  @Test
  void anOversizedDatagramIsLeftOutAndCounted() {
    ClientTunnel tunnel = tunnel(0);

    List<OutboundData> frames =
        tunnel.frame(
            List.of(
                datagram(ALICE, 1, 1),
                datagram(ALICE, Limits.MAX_DATAGRAM + 1, 2),
                datagram(ALICE, 3, 3)),
            listener);

    assertThat(frames).extracting(frame -> frame.payload().length).containsExactly(1, 3);
    assertThat(counters.drops(DropCause.OVERSIZED)).isEqualTo(1);
    assertThat(tunnel.traffic().drops()).isEqualTo(1);
  }

  @Test
  void datagramsOverTheTunnelsRateAreLeftOutAndCounted() {
    ClientTunnel tunnel = tunnel(5);
    List<ReceivedDatagram> burst = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      burst.add(datagram(ALICE, 1, i));
    }

    assertThat(tunnel.frame(burst, listener)).hasSize(5); // a second's worth passes at once
    assertThat(counters.drops(DropCause.RATE_LIMITED)).isEqualTo(3);
  }

  @Test
  void closingTheTunnelsFlowsTellsTheServerAndForgetsTheSenders() {
    ClientTunnel tunnel = tunnel(0);
    tunnel.frame(List.of(datagram(ALICE, 1, 1), datagram(BOB, 1, 2)), listener);
    toServer.clear();

    tunnel.closeFlows();

    assertThat(toServer).hasSize(2);
    assertThat(tunnel.flowCount()).isZero();
    assertThat(flows.size()).isZero();
  }
}
