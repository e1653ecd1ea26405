package io.sudp.udp;

import io.netty.channel.Channel;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;

/**
 * Lets a camel-netty UDP listener read a burst of datagrams per turn of its event loop. The
 * allocator camel-netty installs for {@code receiveBufferSizePredictor} (needed: Netty's default
 * buffer of 2,048 bytes would truncate larger datagrams) reads one datagram per turn, so a burst
 * left as one WebSocket message per datagram; camel-netty's {@code option.*} parameters cannot
 * change that, so the listener's routes do it when they see its first datagram.
 */
public final class DatagramReads {
  /** Datagrams read from one socket before its loop turns to its other sockets. */
  public static final int PER_TURN = 64;

  private DatagramReads() {}

  /** Raises the read burst of {@code listener}; cheap when already done. */
  public static void perTurn(Channel listener) {
    RecvByteBufAllocator allocator = listener.config().getRecvByteBufAllocator();
    if (allocator instanceof MaxMessagesRecvByteBufAllocator reads
        && reads.maxMessagesPerRead() != PER_TURN) {
      reads.maxMessagesPerRead(PER_TURN);
    }
  }
}
