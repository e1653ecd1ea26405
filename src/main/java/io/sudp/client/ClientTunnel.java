package io.sudp.client;

import io.netty.channel.Channel;
import io.sudp.ops.DebugTrace;
import io.sudp.ops.DropCause;
import io.sudp.ops.RateLimitedLog;
import io.sudp.ops.Traffic;
import io.sudp.ops.TrafficCounters;
import io.sudp.protocol.Destination;
import io.sudp.protocol.Limits;
import io.sudp.protocol.OutboundData;
import io.sudp.security.TokenBucket;
import io.sudp.udp.ReceiveDrops;
import io.sudp.udp.ReceivedDatagram;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.LoggerFactory;

/**
 * The framing step of one client tunnel: a datagram from a local application becomes a frame of
 * that application's flow, opening the flow first if the sender is new. Datagrams the tunnel cannot
 * carry are left out and counted.
 */
public final class ClientTunnel {
  private final String name;
  private final Destination destination;
  private final long idleTimeoutNanos;
  private final TokenBucket rate;
  private final ClientFlows flows;
  private final TrafficCounters counters;
  private final Map<InetSocketAddress, ClientFlow> bySender = new ConcurrentHashMap<>();
  private final Traffic traffic = new Traffic();

  /** The listening socket's kernel drops; replaced when the route makes the socket again. */
  private volatile ReceiveDrops listenerDrops;

  private final RateLimitedLog log =
      new RateLimitedLog(LoggerFactory.getLogger(ClientTunnel.class));

  /**
   * @param idleTimeoutNanos how long a flow of this tunnel may idle before it ends
   * @param maxDatagramsPerSecond the tunnel's rate limit; 0 for none
   */
  public ClientTunnel(
      String name,
      Destination destination,
      long idleTimeoutNanos,
      long maxDatagramsPerSecond,
      ClientFlows flows,
      TrafficCounters counters) {
    this.name = name;
    this.destination = destination;
    this.idleTimeoutNanos = idleTimeoutNanos;
    this.rate = maxDatagramsPerSecond > 0 ? new TokenBucket(maxDatagramsPerSecond) : null;
    this.flows = flows;
    this.counters = counters;
  }

  public String name() {
    return name;
  }

  public Destination destination() {
    return destination;
  }

  long idleTimeoutNanos() {
    return idleTimeoutNanos;
  }

  /** What this tunnel carried and dropped. */
  public Traffic traffic() {
    return traffic;
  }

  /** Live flows of this tunnel (distinct local senders). */
  public int flowCount() {
    return bySender.size();
  }

  /**
   * Frames a burst of datagrams that {@code listener}, the tunnel's listening socket, read (see
   * {@link io.sudp.udp.DatagramBursts}): their frames, in order, without those the tunnel dropped.
   */
  public List<OutboundData> frame(List<ReceivedDatagram> burst, Channel listener) {
    read(listener);
    List<OutboundData> frames = new ArrayList<>(burst.size());
    for (ReceivedDatagram datagram : burst) {
      OutboundData frame = frame(datagram.payload(), datagram.sender(), listener);
      if (frame != null) {
        frames.add(frame);
      }
    }
    return frames;
  }

  private void read(Channel listener) {
    ReceiveDrops drops = listenerDrops;
    if (drops == null || drops.socket() != listener) {
      drops = new ReceiveDrops(listener);
      listenerDrops = drops;
    }
    drops.read();
  }

  /**
   * Counts what the kernel dropped at the tunnel's listening socket since the last call (on the
   * socket's loop, soon after); about once a second.
   */
  public void countReceiveDrops() {
    ReceiveDrops drops = listenerDrops;
    if (drops != null) {
      drops
          .socket()
          .eventLoop()
          .execute(
              () -> {
                long dropped = drops.sinceRead();
                if (dropped > 0) {
                  counters.drop(DropCause.RECEIVE_BUFFER_FULL, dropped);
                  traffic.drop(dropped);
                }
              });
    }
  }

  /** The frame carrying {@code datagram}, or null if the tunnel drops it (counted). */
  private OutboundData frame(byte[] datagram, InetSocketAddress sender, Channel listener) {
    if (datagram.length > Limits.MAX_DATAGRAM) {
      counters.drop(DropCause.OVERSIZED);
      traffic.drop();
      log.warn(
          "tunnel {}: dropped a {}-byte datagram from {}: the limit is {} bytes",
          name,
          datagram.length,
          sender,
          Limits.MAX_DATAGRAM);
      return null;
    }
    if (rate != null && !rate.tryTake(1)) {
      counters.drop(DropCause.RATE_LIMITED);
      traffic.drop();
      return null;
    }
    ClientFlow flow = bySender.get(sender);
    if (flow == null) {
      flow = bySender.computeIfAbsent(sender, address -> flows.open(this, address, listener));
    }
    flow.touch();
    if (flow.refused()) {
      counters.drop(DropCause.FORBIDDEN);
      traffic.drop();
      return null;
    }
    DebugTrace.datagram(this, "from", sender, datagram);
    traffic.up(datagram.length);
    return new OutboundData(flow.id(), flow.upstream(), datagram);
  }

  @Override
  public String toString() {
    return "tunnel " + name;
  }

  /** Ends every flow of this tunnel, which is being removed; the server frees their sockets. */
  public void closeFlows() {
    for (ClientFlow flow : List.copyOf(bySender.values())) {
      flows.close(flow);
    }
  }

  void forget(ClientFlow flow) {
    bySender.remove(flow.sender(), flow);
  }
}
