package io.sudp.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.sudp.testing.KernelSocketDrops;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A socket that is not read while empty datagrams pour in: the kernel drops what its small receive
 * buffer cannot hold, and {@link ReceiveDrops} counts exactly what the kernel shows for that socket
 * in {@code /proc/net/udp}, each drop once.
 */
class ReceiveDropsTest {
  private EventLoopGroup group;
  private DatagramChannel sender;

  @AfterEach
  void stop() throws Exception {
    if (sender != null) {
      sender.close();
    }
    if (group != null) {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
    }
  }

  @Test
  void countsWhatTheKernelDroppedAtTheSocketOnce() throws Exception {
    assumeTrue(Epoll.isAvailable() && KernelSocketDrops.shown(), "epoll and /proc/net/udp");
    group = new EpollEventLoopGroup(1);
    Channel socket = unread(EpollDatagramChannel.class);
    sender = DatagramChannel.open();
    ReceiveDrops drops = new ReceiveDrops(socket);

    KernelSocketDrops.floodPast(sender, address(socket), 0);
    onLoop(socket, drops::read);
    long counted = catchUp(drops, onLoop(socket, drops::sinceRead));
    assertThat(counted).isPositive();

    KernelSocketDrops.floodPast(sender, address(socket), counted);
    assertThat(onLoop(socket, drops::sinceRead)).as("not read since the last check").isZero();
    onLoop(socket, drops::read);
    assertThat(catchUp(drops, counted + onLoop(socket, drops::sinceRead))).isGreaterThan(counted);

    socket.close().sync();
    assertThat(onLoop(socket, drops::beforeClose)).as("a closed socket").isZero();
  }

  @Test
  void seesNoneOnNio() throws Exception {
    assumeTrue(KernelSocketDrops.shown(), "/proc/net/udp");
    group = new NioEventLoopGroup(1);
    Channel socket = unread(NioDatagramChannel.class);
    sender = DatagramChannel.open();
    ReceiveDrops drops = new ReceiveDrops(socket);

    KernelSocketDrops.floodPast(sender, address(socket), 0);
    onLoop(socket, drops::read);
    assertThat(onLoop(socket, drops::sinceRead)).isZero();
  }

  /** A socket with the smallest receive buffer, bound on loopback, that is never read. */
  private Channel unread(Class<? extends Channel> type) throws InterruptedException {
    return new Bootstrap()
        .group(group)
        .channel(type)
        .option(ChannelOption.SO_RCVBUF, 1)
        .option(ChannelOption.AUTO_READ, false)
        .handler(new ChannelInboundHandlerAdapter())
        .bind("127.0.0.1", 0)
        .sync()
        .channel();
  }

  /**
   * {@code counted} plus what {@link ReceiveDrops#beforeClose} then counts, once that is what the
   * kernel shows: datagrams still on their way through loopback may be dropped a moment later.
   */
  private static long catchUp(ReceiveDrops drops, long counted) {
    long[] total = {counted};
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              total[0] += onLoop(drops.socket(), drops::beforeClose);
              assertThat(total[0])
                  .isEqualTo(KernelSocketDrops.atPort(address(drops.socket()).getPort()));
            });
    return total[0];
  }

  private static InetSocketAddress address(Channel socket) {
    return (InetSocketAddress) socket.localAddress();
  }

  private static <T> T onLoop(Channel socket, Callable<T> task) throws Exception {
    return socket.eventLoop().submit(task).get(10, TimeUnit.SECONDS);
  }

  private static void onLoop(Channel socket, Runnable task) throws Exception {
    socket.eventLoop().submit(task).get(10, TimeUnit.SECONDS);
  }
}
