package io.sudp.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.sudp.ops.DebugTrace;
import io.sudp.ops.Direction;
import io.sudp.ops.DropCause;
import io.sudp.ops.SequenceGaps;
import io.sudp.ops.Traffic;
import io.sudp.protocol.FlowSequence;
import io.sudp.protocol.Limits;
import io.sudp.protocol.OutboundData;
import io.sudp.udp.DatagramOut;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * One reverse flow on the client: a sender at the server's listener ({@code peer}), carried to the
 * tunnel's destination through a UDP socket of its own, whose replies (only from the destination's
 * address and port) go back numbered by {@code toServer}. Datagrams that arrive while the
 * destination's name resolves wait in a short queue. Only the connection's event loop touches it.
 */
final class ReverseClientFlow extends SimpleChannelInboundHandler<DatagramPacket> {
  /** Datagrams a flow holds while its destination is resolved; more are dropped. */
  static final int MAX_PENDING = 8;

  private final int id;
  private final ReverseTunnel tunnel;
  private final Traffic traffic;
  private final String peer;
  private final ReverseTunnels owner;
  private final FlowSequence toServer = new FlowSequence();
  private final SequenceGaps fromServer;
  private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
  private DatagramOut out;
  private InetSocketAddress destination;
  private long lastActiveNanos = System.nanoTime();
  private boolean closed;

  ReverseClientFlow(
      int id,
      ReverseTunnel tunnel,
      Traffic traffic,
      String peer,
      int firstSeq,
      ReverseTunnels owner) {
    this.id = id;
    this.tunnel = tunnel;
    this.traffic = traffic;
    this.peer = peer;
    this.owner = owner;
    this.fromServer = new SequenceGaps(firstSeq);
  }

  int id() {
    return id;
  }

  ReverseTunnel tunnel() {
    return tunnel;
  }

  long idleNanos(long now) {
    return now - lastActiveNanos;
  }

  /** The flow's socket is bound towards {@code remote}: what waited goes out. */
  void opened(Channel channel, InetSocketAddress remote) {
    if (closed) {
      channel.close();
      return;
    }
    out = new DatagramOut(channel, owner.countSendFailure());
    destination = remote;
    byte[] payload;
    while ((payload = pending.poll()) != null) {
      write(payload);
    }
    out.flush();
  }

  /** A datagram from the server's listener, for the destination; counts its sequence number. */
  void fromServer(int seq, byte[] payload) {
    lastActiveNanos = System.nanoTime();
    long observation =
        fromServer.observe(seq, SequenceGaps.MAX_IN_FLIGHT, SequenceGaps.MAX_IN_FLIGHT);
    owner.counters().sequence(observation);
    traffic.sequence(observation);
    if (out != null) {
      write(payload);
      owner.flushAfterMessage(out);
    } else if (pending.size() < MAX_PENDING) {
      pending.add(payload);
    } else {
      dropped(DropCause.QUEUE_FULL, 1);
    }
  }

  void dropped(DropCause cause, long count) {
    owner.counters().drop(cause, count);
    traffic.drop(count);
  }

  private void write(byte[] payload) {
    if (!out.hasRoom()) {
      dropped(DropCause.QUEUE_FULL, 1);
      return;
    }
    DebugTrace.datagram(this, "to", destination, payload);
    out.add(payload, destination);
    owner.counters().forwarded(Direction.DOWNSTREAM, payload.length);
    traffic.down(payload.length);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
    if (!packet.sender().equals(destination)) {
      owner.counters().drop(DropCause.UNSOLICITED);
      return;
    }
    ByteBuf content = packet.content();
    if (content.readableBytes() > Limits.MAX_DATAGRAM) {
      owner.counters().drop(DropCause.OVERSIZED);
      return;
    }
    byte[] payload = new byte[content.readableBytes()];
    content.readBytes(payload);
    lastActiveNanos = System.nanoTime();
    DebugTrace.datagram(this, "from", destination, payload);
    traffic.up(payload.length);
    owner.toServer(new OutboundData(id, toServer, payload));
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    owner.socketFailed(this, cause);
  }

  /** Ends the flow: its socket closes, what waited is dropped for {@code cause}. */
  void close(DropCause cause) {
    closed = true;
    dropped(cause, pending.size());
    pending.clear();
    if (out != null) {
      out.close();
    }
  }

  @Override
  public String toString() {
    return "reverse tunnel " + tunnel.name() + ": flow from " + peer;
  }
}
