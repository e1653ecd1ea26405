package io.sudp.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.sudp.ops.DebugTrace;
import io.sudp.ops.Direction;
import io.sudp.ops.DropCause;
import io.sudp.udp.DatagramOut;
import io.sudp.udp.ReceiveDrops;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * A UDP port the server listens on for one client's reverse tunnel: each sender becomes a reverse
 * flow to the client (at most {@link ReverseListeners#MAX_FLOWS_PER_LISTENER}), and the client's
 * replies leave from this port towards their sender. Only the session's event loop touches it.
 */
final class ReverseListener extends SimpleChannelInboundHandler<DatagramPacket> {
  private final int listenId;
  private final int port;
  private final String host;
  private final ReverseListeners owner;
  private final Map<InetSocketAddress, ReverseFlow> bySender = new HashMap<>();
  private DatagramOut out;
  private ReceiveDrops drops;
  private boolean unflushed;

  /**
   * @param host the address the client asked for, or null for the server's bind address
   */
  ReverseListener(int listenId, String host, int port, ReverseListeners owner) {
    this.listenId = listenId;
    this.host = host;
    this.port = port;
    this.owner = owner;
  }

  int listenId() {
    return listenId;
  }

  int port() {
    return port;
  }

  /** True when a LISTEN asks for what this listener is. */
  boolean isFor(String requestedHost, int requestedPort) {
    return requestedPort == port && java.util.Objects.equals(requestedHost, host);
  }

  /** True once its socket is bound: the client has been told it listens. */
  boolean listening() {
    return out != null;
  }

  void bound(Channel channel) {
    out = new DatagramOut(channel, owner.session().countSendFailure());
    drops = new ReceiveDrops(channel);
  }

  int flowCount() {
    return bySender.size();
  }

  Collection<ReverseFlow> flows() {
    return new ArrayList<>(bySender.values());
  }

  void add(ReverseFlow flow) {
    bySender.put(flow.sender(), flow);
  }

  void remove(ReverseFlow flow) {
    bySender.remove(flow.sender(), flow);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
    ClientSession session = owner.session();
    ReverseFlow flow = bySender.get(packet.sender());
    if (flow == null) {
      flow = owner.accept(this, packet.sender());
      if (flow == null) {
        return; // refused and counted
      }
    }
    if (flow.refused() != null) {
      session.dropped(flow.refused());
      return;
    }
    byte[] payload = session.readForClient(flow, packet);
    if (payload != null) {
      session.reply(flow.toClient(payload));
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (drops != null) {
      drops.read();
    }
    owner.session().sendReplies();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    owner.session().counters().drop(DropCause.SEND_ERROR);
  }

  /** A reply from the client, to the flow's sender from this port; sent after the message. */
  void send(ReverseFlow flow, byte[] payload) {
    ClientSession session = owner.session();
    if (out == null || !out.hasRoom()) {
      session.dropped(DropCause.QUEUE_FULL);
      return;
    }
    DebugTrace.datagram(flow, "to", flow.sender(), payload);
    out.add(payload, flow.sender());
    if (!unflushed) {
      unflushed = true;
      session.flushAfterMessage(this::flush);
    }
    session.counters().forwarded(Direction.UPSTREAM, payload.length);
    session.traffic().up(payload.length);
  }

  private void flush() {
    unflushed = false;
    if (out != null) {
      out.flush();
    }
  }

  /** What the kernel dropped at the port, not counted yet, if it was read since. */
  long receiveDrops() {
    return drops == null ? 0 : drops.sinceRead();
  }

  /** Closes the port; what the kernel dropped there is counted a last time. */
  void close() {
    if (out != null) {
      owner.session().dropped(DropCause.RECEIVE_BUFFER_FULL, drops.beforeClose());
      out.close();
    }
  }

  @Override
  public String toString() {
    return "reverse listener " + listenId + " on port " + port;
  }
}
