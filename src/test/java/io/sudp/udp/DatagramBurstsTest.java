package io.sudp.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.sudp.testing.NettyUdp;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A listener built the way camel-netty builds one, with {@link DatagramBursts} as its decoder: what
 * one turn of its loop reads arrives as one list, every datagram with its own sender, in order, and
 * nothing else is lost or held back; runs the kernel hands over in one read come out as the
 * datagrams they were.
 */
class DatagramBurstsTest {
  private static final int SENDERS = 3;
  private static final int DATAGRAMS = 200;

  private final List<List<ReceivedDatagram>> bursts = new CopyOnWriteArrayList<>();
  private final AtomicInteger coalesced = new AtomicInteger();
  private final List<DatagramChannel> senders = new ArrayList<>();
  private EventLoopGroup group;

  @AfterEach
  void stop() throws Exception {
    for (DatagramChannel sender : senders) {
      sender.close();
    }
    if (group != null) {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
    }
  }

  /**
   * Without sockets: the reads of one turn go on as one list when the turn ends, each buffer
   * released once copied; what is not a datagram passes as it came.
   */
  @Test
  void theReadsOfOneTurnGoOnAsOneListWhenTheTurnEnds() {
    EmbeddedChannel listener = new EmbeddedChannel(new DatagramBursts());
    InetSocketAddress alice = new InetSocketAddress("127.0.0.1", 40001);
    InetSocketAddress bob = new InetSocketAddress("127.0.0.1", 40002);
    DatagramPacket first = packet(new byte[] {1, 2}, alice);
    DatagramPacket second = packet(new byte[] {3}, bob);

    listener.writeInbound(first, second); // one turn: two reads, then the end of the turn
    listener.writeInbound("not a datagram");

    List<ReceivedDatagram> burst = listener.readInbound();
    assertThat(burst).extracting(ReceivedDatagram::sender).containsExactly(alice, bob);
    assertThat(burst)
        .extracting(ReceivedDatagram::payload)
        .containsExactly(new byte[] {1, 2}, new byte[] {3});
    assertThat(first.refCnt()).isZero();
    assertThat(second.refCnt()).isZero();
    assertThat((Object) listener.readInbound()).isEqualTo("not a datagram");
    assertThat((Object) listener.readInbound()).isNull();
    listener.finishAndReleaseAll();
  }

  private static DatagramPacket packet(byte[] payload, InetSocketAddress sender) {
    return new DatagramPacket(
        Unpooled.wrappedBuffer(payload), new InetSocketAddress("127.0.0.1", 5353), sender);
  }

  @Test
  void aReadBurstIsOneListOfDatagramsWithTheirSenders() throws Exception {
    Channel listener = listener();
    List<ReceivedDatagram> sent = new ArrayList<>();
    for (int i = 0; i < SENDERS; i++) {
      senders.add(DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0)));
    }
    for (int i = 0; i < DATAGRAMS; i++) {
      DatagramChannel sender = senders.get(i % SENDERS);
      byte[] payload = new byte[i % 7 == 0 ? 0 : 1 + i * 7];
      Arrays.fill(payload, (byte) i);
      sender.send(ByteBuffer.wrap(payload), listener.localAddress());
      sent.add(new ReceivedDatagram(payload, (InetSocketAddress) sender.getLocalAddress()));
    }
    listener.config().setAutoRead(true); // everything is queued: the reads come in full bursts

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> bursts.stream().mapToInt(List::size).sum() >= DATAGRAMS);
    List<ReceivedDatagram> received = bursts.stream().flatMap(List::stream).toList();
    assertThat(received).hasSize(DATAGRAMS);
    for (int i = 0; i < DATAGRAMS; i++) {
      assertThat(received.get(i).payload()).as("datagram %d", i).isEqualTo(sent.get(i).payload());
      assertThat(received.get(i).sender()).as("sender of %d", i).isEqualTo(sent.get(i).sender());
    }
    assertThat(bursts)
        .allSatisfy(burst -> assertThat(burst).hasSizeBetween(1, ListenerTuning.READS_PER_TURN));
    assertThat(bursts.get(0)).hasSize(ListenerTuning.READS_PER_TURN);
  }

  /**
   * Runs sent as one segmented send each reach a listener with coalesced reads as one read each
   * (Netty cuts them into slices of one buffer, which is how the test sees it), and come out of the
   * decoder as the datagrams sent: byte for byte, the shorter last of a run included, in order.
   */
  @Test
  void runsReadAtOnceComeOutAsTheDatagramsSent() throws Exception {
    assumeTrue(
        Epoll.isAvailable() && EpollDatagramChannel.isSegmentedDatagramPacketSupported(),
        "segmented sends");
    assumeTrue(linuxAtLeast(5, 0), "UDP GRO (Linux 5.0 or later)");
    Channel listener = listener();
    assertThat(((EpollDatagramChannel) listener).config().isUdpGro()).isTrue();
    listener.config().setAutoRead(true);
    Channel sender = NettyUdp.bind(group, "127.0.0.1");
    InetSocketAddress from = (InetSocketAddress) sender.localAddress();
    List<ReceivedDatagram> sent = new ArrayList<>();
    int[][] runs = {{1200, 40}, {300, 1}, {512, 64}, {9000, 7}, {100, 3}};
    for (int[] run : runs) {
      for (int i = 0; i < run[1]; i++) {
        byte[] payload = new byte[run[0]];
        Arrays.fill(payload, (byte) sent.size());
        payload[0] = (byte) i;
        sent.add(new ReceivedDatagram(payload, from));
      }
    }
    DatagramOut out = new DatagramOut(sender, failed -> {});
    sender
        .eventLoop()
        .submit(
            () -> {
              InetSocketAddress to = (InetSocketAddress) listener.localAddress();
              sent.forEach(datagram -> out.add(datagram.payload(), to));
              out.flush();
            })
        .sync();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> bursts.stream().mapToInt(List::size).sum() >= sent.size());
    List<ReceivedDatagram> received = bursts.stream().flatMap(List::stream).toList();
    assertThat(received).hasSize(sent.size());
    for (int i = 0; i < sent.size(); i++) {
      assertThat(received.get(i).payload()).as("datagram %d", i).isEqualTo(sent.get(i).payload());
      assertThat(received.get(i).sender()).isEqualTo(from);
    }
    assertThat(coalesced).as("datagrams that came as part of a coalesced read").hasPositiveValue();
  }

  private static boolean linuxAtLeast(int major, int minor) {
    String[] version = System.getProperty("os.version").split("[.-]");
    int[] running = {Integer.parseInt(version[0]), Integer.parseInt(version[1])};
    return running[0] > major || (running[0] == major && running[1] >= minor);
  }

  /** A listener that has not started reading yet, options first as camel-netty sets them. */
  private Channel listener() throws InterruptedException {
    boolean epoll = Epoll.isAvailable();
    group = epoll ? new EpollEventLoopGroup(1) : new NioEventLoopGroup(1);
    return new Bootstrap()
        .group(group)
        .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
        .option(ChannelOption.SO_RCVBUF, 1 << 20)
        .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(65_536))
        .option(ChannelOption.AUTO_READ, false)
        .handler(
            new ChannelInitializer<>() {
              @Override
              protected void initChannel(Channel channel) {
                channel
                    .pipeline()
                    .addLast(
                        new ChannelInboundHandlerAdapter() {
                          @Override
                          public void channelRead(ChannelHandlerContext context, Object message) {
                            if (((DatagramPacket) message).content().unwrap() != null) {
                              coalesced.incrementAndGet(); // a slice of a read holding several
                            }
                            context.fireChannelRead(message);
                          }
                        },
                        new DatagramBursts(),
                        new ChannelInboundHandlerAdapter() {
                          @Override
                          @SuppressWarnings("unchecked")
                          public void channelRead(ChannelHandlerContext context, Object message) {
                            bursts.add((List<ReceivedDatagram>) message);
                          }
                        });
              }
            })
        .bind(new InetSocketAddress("127.0.0.1", 0))
        .sync()
        .channel();
  }
}
