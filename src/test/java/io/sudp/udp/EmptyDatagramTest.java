package io.sudp.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.sudp.testing.NettyUdp;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A zero-length datagram leaves from the channel's own socket on both transports: this fails when
 * Netty stops handing out the sockets under its channels as {@link EmptyDatagram} reaches them.
 */
class EmptyDatagramTest {
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void anEmptyDatagramLeavesFromTheChannelsSocket(boolean epoll) throws Exception {
    assumeTrue(!epoll || Epoll.isAvailable(), "epoll transport");
    EventLoopGroup group = epoll ? new EpollEventLoopGroup(1) : new NioEventLoopGroup(1);
    try (DatagramSocket sink = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      sink.setSoTimeout(10_000);
      Channel channel = NettyUdp.bind(group, "127.0.0.1");
      InetSocketAddress to = (InetSocketAddress) sink.getLocalSocketAddress();

      channel
          .eventLoop()
          .submit(
              () -> {
                EmptyDatagram.send(channel, to);
                return null;
              })
          .get(10, TimeUnit.SECONDS);

      DatagramPacket received = new DatagramPacket(new byte[16], 16);
      sink.receive(received); // or a timeout
      assertThat(received.getSocketAddress()).isEqualTo(channel.localAddress());
      assertThat(received.getLength()).isZero();
      channel.close().sync();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }
}
