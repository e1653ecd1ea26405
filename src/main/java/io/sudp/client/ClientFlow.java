package io.sudp.client;

import io.netty.channel.Channel;
import io.sudp.ops.SequenceGaps;
import io.sudp.protocol.FlowSequence;
import java.net.InetSocketAddress;
import java.util.function.LongSupplier;

/**
 * One local sender of one tunnel: the application socket that replies go back to, and the listening
 * channel they go back from.
 */
final class ClientFlow {
  private final int id;
  private final ClientTunnel tunnel;
  private final InetSocketAddress sender;
  private final Channel listener;
  private final FlowSequence upstream = new FlowSequence();
  private final SequenceGaps downstreamGaps = new SequenceGaps(0);
  private final LongSupplier nanoClock;
  private volatile long lastActiveNanos;
  private volatile boolean refused;

  /**
   * @param nanoClock the clock it idles on, its table's
   */
  ClientFlow(
      int id,
      ClientTunnel tunnel,
      InetSocketAddress sender,
      Channel listener,
      LongSupplier nanoClock) {
    this.id = id;
    this.tunnel = tunnel;
    this.sender = sender;
    this.listener = listener;
    this.nanoClock = nanoClock;
    this.lastActiveNanos = nanoClock.getAsLong();
  }

  int id() {
    return id;
  }

  ClientTunnel tunnel() {
    return tunnel;
  }

  InetSocketAddress sender() {
    return sender;
  }

  Channel listener() {
    return listener;
  }

  /** Numbers this flow's datagrams towards the server as they are written. */
  FlowSequence upstream() {
    return upstream;
  }

  /** Loss accounting of the replies; touched only on the WebSocket's event loop. */
  SequenceGaps downstreamGaps() {
    return downstreamGaps;
  }

  void touch() {
    lastActiveNanos = nanoClock.getAsLong();
  }

  long idleNanos(long now) {
    return now - lastActiveNanos;
  }

  /**
   * The server refused the destination; datagrams of this flow are dropped here until it expires.
   */
  boolean refused() {
    return refused;
  }

  void refuse() {
    refused = true;
  }
}
