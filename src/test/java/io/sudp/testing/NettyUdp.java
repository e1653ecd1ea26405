package io.sudp.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;

/** Netty UDP sockets for tests and benchmarks that send as the tunnel's own sockets do. */
public final class NettyUdp {
  private NettyUdp() {}

  /**
   * An unconnected socket bound to {@code host} on a free port, on {@code group}'s transport (epoll
   * for an epoll group, NIO otherwise), that ignores what it receives.
   */
  public static Channel bind(EventLoopGroup group, String host) throws InterruptedException {
    return new Bootstrap()
        .group(group)
        .channel(
            group instanceof EpollEventLoopGroup
                ? EpollDatagramChannel.class
                : NioDatagramChannel.class)
        .handler(new ChannelInboundHandlerAdapter())
        .bind(host, 0)
        .sync()
        .channel();
  }
}
