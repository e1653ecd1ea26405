package io.sudp.udp;

import io.netty.channel.Channel;
import io.netty.channel.nio.AbstractNioChannel;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * Sends zero-length datagrams, which UDP carries and applications use (keepalives, probes) but
 * Netty's datagram channels skip: straight on the socket under the channel. Netty has no public way
 * to send one, so this class alone reaches under its channels, through the accessors its transports
 * give their own code: an epoll channel's socket ({@link UnixChannel#fd()}) and a NIO channel's JDK
 * socket ({@link AbstractNioChannel.NioUnsafe#ch()}, which Netty calls internal-use). {@code
 * EmptyDatagramTest} sends on both and fails if either stops working.
 */
final class EmptyDatagram {
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
  private static final ByteBuffer EMPTY_DIRECT = ByteBuffer.allocateDirect(0);

  private EmptyDatagram() {}

  /** Sends an empty datagram from {@code channel}'s socket; call on the channel's event loop. */
  static void send(Channel channel, InetSocketAddress recipient) throws IOException {
    if (channel instanceof UnixChannel unix && unix.fd() instanceof Socket socket) {
      socket.sendTo(EMPTY_DIRECT, 0, 0, recipient.getAddress(), recipient.getPort());
    } else if (channel instanceof AbstractNioChannel nio
        && nio.unsafe().ch() instanceof DatagramChannel socket) {
      socket.send(EMPTY.duplicate(), recipient);
    } else {
      throw new IllegalStateException("cannot send an empty datagram on " + channel);
    }
  }
}
