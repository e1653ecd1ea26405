package io.sudp.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.sudp.ops.DropCause;

/**
 * Reads the replies arriving on one flow's socket and hands them to the flow's session, which sends
 * each read burst on as one batch.
 */
final class FlowReplies extends SimpleChannelInboundHandler<DatagramPacket> {
  private final ServerFlow flow;
  private final ClientSession session;

  FlowReplies(ServerFlow flow, ClientSession session) {
    this.flow = flow;
    this.session = session;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
    if (!flow.isDestination(packet.sender())) {
      session.counters().drop(DropCause.UNSOLICITED);
      return;
    }
    byte[] payload = session.readForClient(flow, packet);
    if (payload != null) {
      session.reply(flow.reply(payload));
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    flow.repliesRead();
    session.sendReplies();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    session.socketFailed(flow, cause);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (!flow.isClosed()) {
      session.socketFailed(flow, new IllegalStateException("socket closed"));
    }
  }
}
