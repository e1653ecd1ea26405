package io.sudp.echo;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.sudp.udp.DatagramOut;
import io.sudp.udp.ReceivedDatagram;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.netty.NettyConstants;

/**
 * Sends a burst of datagrams back to their senders from the socket they arrived on, empty ones
 * included, in order.
 */
public final class EchoReply implements Processor {
  /** An echo the kernel refuses is lost, as it would be on the network. */
  private static final ChannelFutureListener LOST = sent -> {};

  @Override
  public void process(Exchange exchange) {
    ChannelHandlerContext context =
        exchange
            .getMessage()
            .getHeader(NettyConstants.NETTY_CHANNEL_HANDLER_CONTEXT, ChannelHandlerContext.class);
    @SuppressWarnings("unchecked")
    List<ReceivedDatagram> burst = exchange.getMessage().getBody(List.class);
    DatagramOut out = new DatagramOut(context.channel(), LOST);
    for (ReceivedDatagram datagram : burst) {
      out.add(datagram.payload(), datagram.sender());
    }
    out.flush();
  }
}
