package io.sudp.bench;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.sudp.testing.NettyUdp;
import io.sudp.udp.DatagramOut;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A sender like today's QUIC stacks and wireguard-go: runs of 64 equal-size datagrams, each run one
 * segmented send (UDP GSO), as fast as the socket takes them. What reaches a receiver is the same
 * datagrams; what changes is the receiver's cost, which is what this load shows.
 */
final class SegmentedBlast {
  private static final int RUN = 64;
  private static final ChannelFutureListener IGNORE_REFUSED = sent -> {};

  private SegmentedBlast() {}

  /** True where the kernel and Netty can send segmented runs. */
  static boolean available() {
    return Epoll.isAvailable() && EpollDatagramChannel.isSegmentedDatagramPacketSupported();
  }

  /** Sends runs to {@code target} for the whole period; returns datagrams sent. */
  static long blast(InetSocketAddress target, int size, long nanos) throws Exception {
    EventLoopGroup group = new EpollEventLoopGroup(1);
    try {
      Channel channel = NettyUdp.bind(group, "127.0.0.1");
      byte[] payload = new byte[size];
      long end = System.nanoTime() + nanos;
      long sent = 0;
      while (System.nanoTime() < end) {
        channel
            .eventLoop()
            .submit(
                () -> {
                  DatagramOut out = new DatagramOut(channel, IGNORE_REFUSED);
                  for (int i = 0; i < RUN; i++) {
                    out.add(payload, target);
                  }
                  out.flush();
                })
            .sync();
        sent += RUN;
      }
      return sent;
    } finally {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
    }
  }
}
