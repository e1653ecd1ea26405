package io.sudp.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.sudp.testing.NettyUdp;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every datagram handed to {@link DatagramOut} arrives as itself, byte for byte and in order,
 * whether it travelled alone or in a segmented send with its neighbours.
 */
class DatagramOutTest {
  private final List<EventLoopGroup> groups = new ArrayList<>();
  private final List<DatagramChannel> sinks = new ArrayList<>();
  private final AtomicInteger failures = new AtomicInteger();
  private final ChannelFutureListener countFailure =
      sent -> {
        if (!sent.isSuccess()) {
          failures.incrementAndGet();
        }
      };

  @AfterEach
  void stop() throws IOException {
    for (DatagramChannel sink : sinks) {
      sink.close();
    }
    groups.forEach(group -> group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly());
  }

  @ParameterizedTest
  @CsvSource({"true, 127.0.0.1", "false, 127.0.0.1", "true, ::1"})
  void mixedBurstsArriveAsTheDatagramsSent(boolean epoll, String host) throws Exception {
    assumeTrue(!epoll || Epoll.isAvailable(), "epoll transport");
    DatagramChannel first = sink(host);
    DatagramChannel second = sink(host);
    Channel channel = channel(epoll, host);
    InetSocketAddress a = (InetSocketAddress) first.getLocalAddress();
    InetSocketAddress b = (InetSocketAddress) second.getLocalAddress();
    List<byte[]> toA = new ArrayList<>();
    List<byte[]> toB = new ArrayList<>();
    List<Runnable> burst = new ArrayList<>();
    DatagramOut out = new DatagramOut(channel, countFailure);
    int[] serial = {0};
    // (size, count, recipient): equal runs, a shorter tail, more than one send's worth of
    // segments and of bytes, runs interleaved between recipients, empty and large datagrams.
    Object[][] plan = {
      {1200, 20, a}, {700, 1, a}, {1200, 3, a}, {100, 150, a}, {512, 4, b}, {512, 4, a},
      {0, 2, a}, {40_000, 3, b}, {1, 70, b}, {1400, 47, a}, {65_507, 1, b}, {64, 5, b}
    };
    for (Object[] step : plan) {
      int size = (int) step[0];
      InetSocketAddress to = (InetSocketAddress) step[2];
      for (int i = 0; i < (int) step[1]; i++) {
        byte[] payload = payload(size, serial[0]++);
        (to == a ? toA : toB).add(payload);
        burst.add(() -> out.add(payload, to));
      }
    }
    channel
        .eventLoop()
        .submit(
            () -> {
              burst.forEach(Runnable::run);
              out.flush();
            })
        .sync();

    assertThat(receive(first, toA.size())).containsExactlyElementsOf(toA);
    assertThat(receive(second, toB.size())).containsExactlyElementsOf(toB);
    assertThat(failures).hasValue(0);
  }

  /**
   * A route whose MTU is smaller than the segments refuses a segmented send (EMSGSIZE): its
   * datagrams go again one by one, and the socket joins only smaller ones; when a run within that
   * limit is refused as well, it joins none. Needs root, to give one loopback address such a route
   * for the duration of the test.
   */
  @Test
  void runsRefusedByTheRouteAreSentOneByOne() throws Exception {
    assumeTrue(Epoll.isAvailable() && EpollDatagramChannel.isSegmentedDatagramPacketSupported());
    String host = "127.0.0.99";
    assumeTrue(
        ip(
            "route",
            "replace",
            "local",
            host + "/32",
            "dev",
            "lo",
            "table",
            "local",
            "mtu",
            "lock",
            "1280"),
        "root, to set a route's MTU");
    try {
      DatagramChannel sink = sink(host);
      Channel channel = channel(true, "127.0.0.1");
      InetSocketAddress to = (InetSocketAddress) sink.getLocalAddress();
      int[][] rounds = {{1400, 1399}, {1300, 0}, {1000, 0}}; // datagram size, largest joined after
      for (int[] round : rounds) {
        List<byte[]> sent = new ArrayList<>();
        DatagramOut out = new DatagramOut(channel, countFailure);
        for (int i = 0; i < 10; i++) {
          sent.add(payload(round[0], sent.size()));
        }
        channel
            .eventLoop()
            .submit(
                () -> {
                  sent.forEach(payload -> out.add(payload, to));
                  out.flush();
                })
            .sync();
        assertThat(receive(sink, sent.size())).containsExactlyElementsOf(sent);
        assertThat(channel.eventLoop().submit(() -> DatagramOut.largestSegment(channel)).get())
            .isEqualTo(round[1]);
      }
      assertThat(failures).hasValue(0);
    } finally {
      ip("route", "del", "local", host + "/32", "dev", "lo", "table", "local");
    }
  }

  private Channel channel(boolean epoll, String host) throws InterruptedException {
    EventLoopGroup group = epoll ? new EpollEventLoopGroup(1) : new NioEventLoopGroup(1);
    groups.add(group);
    return NettyUdp.bind(group, host);
  }

  /** A receiving socket on {@code host}; skips the test where the host has no such address. */
  private DatagramChannel sink(String host) throws IOException {
    DatagramChannel sink = DatagramChannel.open();
    try {
      sink.bind(new InetSocketAddress(host, 0));
    } catch (IOException noSuchAddress) {
      sink.close();
      assumeTrue(false, "no " + host + " here");
    }
    sink.setOption(StandardSocketOptions.SO_RCVBUF, 8 << 20);
    sink.configureBlocking(false);
    sinks.add(sink);
    return sink;
  }

  /** A datagram whose bytes say which one it is, so a swap or a cut shows. */
  private static byte[] payload(int size, int serial) {
    byte[] payload = new byte[size];
    for (int i = 0; i < size; i++) {
      payload[i] = (byte) (serial * 31 + i);
    }
    return payload;
  }

  /** The next {@code count} datagrams; fails when one does not come within 10 s. */
  private static List<byte[]> receive(DatagramChannel sink, int count) throws IOException {
    List<byte[]> received = new ArrayList<>();
    ByteBuffer buffer = ByteBuffer.allocate(65_536);
    try (Selector selector = Selector.open()) {
      sink.register(selector, SelectionKey.OP_READ);
      while (received.size() < count) {
        buffer.clear();
        if (sink.receive(buffer) != null) {
          received.add(Arrays.copyOf(buffer.array(), buffer.position()));
        } else if (selector.select(10_000) == 0) {
          throw new SocketTimeoutException(received.size() + " of " + count + " arrived");
        } else {
          selector.selectedKeys().clear();
        }
      }
    }
    return received;
  }

  private static boolean ip(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("ip"));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor() == 0;
    } catch (IOException noIpCommand) {
      return false;
    }
  }
}
