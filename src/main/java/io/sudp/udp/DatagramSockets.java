package io.sudp.udp;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;

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
}
