package io.sudp.udp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.SegmentedDatagramPacket;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The datagrams one UDP socket sends between two flushes, on Netty's NIO or epoll transport.
 *
 * <p>Sending is most of a busy tunnel's cost: the kernel routes and queues every datagram. So
 * consecutive datagrams of one size to one recipient (a bulk transfer's full-size packets) are
 * joined into one segmented send (UDP GSO) where the epoll transport offers it; the kernel cuts
 * them apart again, and the recipient receives the same datagrams, in order. A segmented send that
 * fails (a route whose MTU is smaller than the segments) is sent again datagram by datagram, and
 * the socket joins only smaller datagrams from then on, and none after a second refusal.
 *
 * <p>Datagrams go straight to the transport, past the channel's handlers, so a camel-netty
 * listening socket (whose encoders take {@code byte[]}) sends them as they are. Netty and the JDK
 * skip zero-length datagrams, which UDP carries and applications use (keepalives, probes): those
 * are sent directly on the socket, which therefore must stay unconnected.
 *
 * <p>Use from one thread at a time; the datagrams go out at {@link #flush()}, in the order added.
 */
public final class DatagramOut {
  /** Most segments the kernel takes in one send ({@code UDP_MAX_SEGMENTS} of older kernels). */
  static final int MAX_SEGMENTS = 64;

  /** Most bytes in one segmented send: the largest UDP payload over IPv4. */
  static final int MAX_RUN_BYTES = 65_507;

  private static final AttributeKey<Integer> LARGEST_SEGMENT =
      AttributeKey.valueOf(DatagramOut.class, "largestSegment");

  private final Channel channel;
  private final ChannelFutureListener onFailure;

  /** Largest datagrams joined into runs here: 0 where the transport cannot send runs. */
  private volatile int largestSegment;

  private ByteBuf run;
  private InetSocketAddress runRecipient;
  private int segmentSize;
  private int runCount;

  /**
   * @param onFailure told of every datagram the kernel refused, once per datagram
   */
  public DatagramOut(Channel channel, ChannelFutureListener onFailure) {
    this.channel = channel;
    this.onFailure = onFailure;
    this.largestSegment =
        channel instanceof EpollDatagramChannel
                && EpollDatagramChannel.isSegmentedDatagramPacketSupported()
            ? largestSegment(channel)
            : 0;
  }

  /** The socket these datagrams leave from. */
  public Channel channel() {
    return channel;
  }

  /**
   * True if the socket can take another datagram: false once its queued datagrams exceed its write
   * buffer, after flushing them once.
   */
  public boolean hasRoom() {
    if (!channel.isWritable()) {
      flush();
    }
    return channel.isWritable();
  }

  /** Queues {@code payload} for {@code recipient} until the next {@link #flush()}. */
  public void add(byte[] payload, InetSocketAddress recipient) {
    if (payload.length == 0) {
      flush(); // what came before it goes first
      sendEmpty(recipient);
    } else if (run != null && extendsRun(payload.length, recipient)) {
      run.writeBytes(payload);
      runCount++;
    } else {
      writeRun();
      run = channel.alloc().directBuffer(payload.length, MAX_RUN_BYTES).writeBytes(payload);
      runRecipient = recipient;
      segmentSize = payload.length;
      runCount = 1;
    }
  }

  /** Sends everything queued. */
  public void flush() {
    writeRun();
    channel.flush();
  }

  /** Sends everything queued, then closes the socket. */
  public void close() {
    flush();
    channel.close();
  }

  /**
   * A datagram may join the run if the run is of its size (or it is the shorter last segment), for
   * the same recipient, and within the kernel's limits and what this socket's route took.
   */
  private boolean extendsRun(int length, InetSocketAddress recipient) {
    return segmentSize <= largestSegment
        && length <= segmentSize
        && run.readableBytes() == segmentSize * runCount // no shorter segment ended it yet
        && runCount < MAX_SEGMENTS
        && run.readableBytes() + length <= MAX_RUN_BYTES
        && recipient.equals(runRecipient);
  }

  /** The largest datagrams {@code channel} joins into runs: smaller after a route refused one. */
  static int largestSegment(Channel channel) {
    Integer largest = channel.attr(LARGEST_SEGMENT).get();
    return largest == null ? MAX_RUN_BYTES : largest;
  }

  /**
   * A run of {@code size}-byte datagrams was refused: a route's MTU, so smaller runs may pass; but
   * if a run within the lowered limit is refused too, the route takes no segmented sends at all (no
   * checksum offload, IPsec). Runs written before the first refusal was known only confirm it.
   */
  private void refused(int size) {
    Attribute<Integer> largest = channel.attr(LARGEST_SEGMENT);
    if (largest.get() == null) {
      largest.set(size - 1);
    } else if (size <= largest.get()) {
      largest.set(0);
    }
    largestSegment = largest.get();
  }

  private void writeRun() {
    if (run == null) {
      return;
    }
    ByteBuf datagrams = run;
    run = null;
    if (runCount == 1) {
      write(new DatagramPacket(datagrams, runRecipient)).addListener(onFailure);
      return;
    }
    InetSocketAddress recipient = runRecipient;
    int size = segmentSize;
    datagrams.retain(); // kept until sent, to send again one by one if the kernel refuses the run
    write(new SegmentedDatagramPacket(datagrams, size, recipient))
        .addListener(
            sent -> {
              if (!sent.isSuccess()) {
                refused(size);
                for (int offset = 0; offset < datagrams.writerIndex(); offset += size) {
                  int length = Math.min(size, datagrams.writerIndex() - offset);
                  write(new DatagramPacket(datagrams.retainedSlice(offset, length), recipient))
                      .addListener(onFailure);
                }
                channel.flush();
              }
              datagrams.release();
            });
  }

  /** Writes at the transport, past the handlers (a camel-netty socket's encoders). */
  private ChannelFuture write(DatagramPacket packet) {
    ChannelHandlerContext first = channel.pipeline().firstContext();
    return first == null ? channel.write(packet) : first.write(packet);
  }

  private void sendEmpty(InetSocketAddress recipient) {
    if (channel.eventLoop().inEventLoop()) {
      sendEmptyNow(recipient);
    } else {
      channel.eventLoop().execute(() -> sendEmptyNow(recipient));
    }
  }

  private void sendEmptyNow(InetSocketAddress recipient) {
    try {
      EmptyDatagram.send(channel, recipient);
    } catch (IOException e) {
      channel.pipeline().fireExceptionCaught(e);
    }
  }
}
