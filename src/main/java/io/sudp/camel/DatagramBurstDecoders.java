package io.sudp.camel;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerAdapter;
import io.sudp.udp.DatagramBursts;
import org.apache.camel.component.netty.ChannelHandlerFactory;

/**
 * What a camel-netty UDP listener names as its decoder ({@code decoders=#sudpDatagramBursts}): a
 * new {@link DatagramBursts} for each listener, so the route's exchanges carry bursts of datagrams
 * ({@code List<ReceivedDatagram>}), one exchange per turn of the event loop.
 */
public final class DatagramBurstDecoders extends ChannelHandlerAdapter
    implements ChannelHandlerFactory {
  @Override
  public ChannelHandler newChannelHandler() {
    return new DatagramBursts();
  }
}
