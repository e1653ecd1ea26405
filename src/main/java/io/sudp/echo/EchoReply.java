package io.sudp.echo;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.sudp.udp.DatagramOut;
import io.sudp.udp.ListenerTuning;
import java.net.InetSocketAddress;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.netty.NettyConstants;

/** Sends a datagram back to its sender from the socket it arrived on, empty ones included. */
public final class EchoReply implements Processor {
  /** An echo the kernel refuses is lost, as it would be on the network. */
  private static final ChannelFutureListener LOST = sent -> {};

  @Override
  public void process(Exchange exchange) {
    ChannelHandlerContext context = exchange.getMessage()
        .getHeader(NettyConstants.NETTY_CHANNEL_HANDLER_CONTEXT, ChannelHandlerContext.class);
    ListenerTuning.apply(context.channel());
    InetSocketAddress sender = exchange.getMessage()
        .getHeader(NettyConstants.NETTY_REMOTE_ADDRESS, InetSocketAddress.class);
    DatagramOut out = new DatagramOut(context.channel(), LOST);
    out.add(exchange.getMessage().getBody(byte[].class), sender);
    out.flush();
  }
}
