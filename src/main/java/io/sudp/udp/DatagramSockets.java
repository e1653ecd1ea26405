package io.sudp.udp;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.SocketAddress;
import java.util.function.Consumer;

/**
 * New UDP sockets for a group of event loops: a channel registers only on loops of its own
 * transport, so epoll loops get epoll sockets and any other loops NIO ones.
 */
public final class DatagramSockets {
  private final boolean epoll;

  private DatagramSockets(boolean epoll) {
    this.epoll = epoll;
  }

  /** Sockets that register on {@code loops}. */
  public static DatagramSockets on(EventLoopGroup loops) {
    return new DatagramSockets(loops instanceof EpollEventLoopGroup);
  }

  /** A socket of the system's default protocol family (a DNS resolver's). */
  public DatagramChannel datagramChannel() {
    return epoll ? new EpollDatagramChannel() : new NioDatagramChannel();
  }

  /**
   * A socket for {@code family}; an epoll socket is dual-stack where the system has IPv6 and takes
   * both.
   */
  public DatagramChannel datagramChannel(InternetProtocolFamily family) {
    return epoll ? new EpollDatagramChannel() : new NioDatagramChannel(family);
  }

  /**
   * Registers {@code channel} on {@code loop} and binds it to {@code local}, then hands it to
   * {@code bound}; if either fails the channel is closed and {@code failed} gets the cause. Called
   * on {@code loop}, both complete at once, so datagrams that came with the request go straight
   * out.
   */
  public static void registerAndBind(
      EventLoop loop,
      Channel channel,
      SocketAddress local,
      Consumer<Channel> bound,
      Consumer<Throwable> failed) {
    loop.register(channel)
        .addListener(
            (ChannelFutureListener)
                registered -> {
                  if (!registered.isSuccess()) {
                    channel.close();
                    failed.accept(registered.cause());
                    return;
                  }
                  channel
                      .bind(local)
                      .addListener(
                          (ChannelFutureListener)
                              done -> {
                                if (done.isSuccess()) {
                                  bound.accept(channel);
                                } else {
                                  channel.close();
                                  failed.accept(done.cause());
                                }
                              });
                });
  }
}
