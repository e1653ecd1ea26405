package io.sudp.udp;

import io.netty.channel.Channel;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;

/**
 * Settings a camel-netty UDP listener needs that its {@code option.*} parameters cannot give it
 * (they take a fixed list of option names and drop the rest), applied by {@link DatagramBursts}
 * when the listener's pipeline is built.
 *
 * <ul>
 *   <li>A burst of datagrams read per turn of the event loop: the allocator camel-netty installs
 *       for {@code receiveBufferSizePredictor} (needed: Netty's default buffer of 2,048 bytes would
 *       truncate larger datagrams) reads one, so a burst left as one WebSocket message per
 *       datagram.
 *   <li>Room for a burst of replies: writes from another event loop (a process running server and
 *       client, whose connection may sit on another loop than the listener) count against the
 *       listener's write buffer until its loop sends them, and Netty's default of 64 KiB is less
 *       than one WebSocket message of replies.
 *   <li>Runs of datagrams read at once where the kernel coalesces them ({@link ReceiveCoalescing}).
 * </ul>
 */
final class ListenerTuning {
  /** Datagrams read from one socket before its loop turns to its other sockets. */
  static final int READS_PER_TURN = 64;

  /** Bytes of replies that may wait for the listener's loop before it refuses more. */
  static final WriteBufferWaterMark REPLY_ROOM = new WriteBufferWaterMark(1 << 20, 2 << 20);

  private ListenerTuning() {}

  /** Tunes {@code listener}, whose options camel-netty has set. */
  static void apply(Channel listener) {
    ReceiveCoalescing.enable(listener);
    RecvByteBufAllocator allocator = listener.config().getRecvByteBufAllocator();
    if (allocator instanceof MaxMessagesRecvByteBufAllocator reads) {
      reads.maxMessagesPerRead(READS_PER_TURN);
    }
    listener.config().setWriteBufferWaterMark(REPLY_ROOM);
  }
}
