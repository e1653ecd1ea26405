package io.sudp.udp;

import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.unix.RawUnixChannelOption;
import java.nio.ByteOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Datagrams the kernel dropped at a socket SUDP reads, before SUDP saw them: its receive buffer was
 * full (a sender faster than the socket is read; rarely, a bad checksum). No datagram passes
 * through SUDP to be counted, so the socket's own drop counter is read: {@code SO_MEMINFO}, the
 * count {@code /proc/net/udp} shows and {@code SO_RXQ_OVFL} reports, one system call for one
 * socket, on epoll and Linux 4.6 or later; elsewhere none are seen.
 *
 * <p>A drop leaves the buffer full, so a read follows it: a socket not read since the last check
 * has no new drops, and an idle socket costs nothing. Only the socket's event loop uses this, the
 * loop that also closes the socket, so the descriptor asked is still the socket's.
 */
public final class ReceiveDrops {
  private static final Logger LOG = LoggerFactory.getLogger(ReceiveDrops.class);
  private static final int SOL_SOCKET = 1;
  private static final int SO_MEMINFO = 55;
  private static final int SK_MEMINFO_DROPS = 8;
  private static final RawUnixChannelOption MEMINFO =
      new RawUnixChannelOption(
          "SO_MEMINFO", SOL_SOCKET, SO_MEMINFO, (SK_MEMINFO_DROPS + 1) * Integer.BYTES);

  private final Channel socket;
  private int counted;
  private boolean read;

  public ReceiveDrops(Channel socket) {
    this.socket = socket;
  }

  /** The socket, on whose loop to use this. */
  public Channel socket() {
    return socket;
  }

  /** The socket was read: the next {@link #sinceRead} asks it. */
  public void read() {
    read = true;
  }

  /** Drops not counted yet if the socket was read since this was last called; once a second. */
  public long sinceRead() {
    if (!read) {
      return 0;
    }
    read = false;
    return beforeClose();
  }

  /** Drops not counted yet, read or not: the socket is about to close. */
  public long beforeClose() {
    if (!(socket instanceof EpollDatagramChannel epoll) || !epoll.isOpen()) {
      return 0;
    }
    int total;
    try {
      total =
          epoll
              .config()
              .getOption(MEMINFO)
              .order(ByteOrder.nativeOrder())
              .getInt(SK_MEMINFO_DROPS * Integer.BYTES);
    } catch (ChannelException unsupported) {
      LOG.debug("a socket's drops cannot be read: {}", unsupported.toString());
      return 0;
    }
    long more = Integer.toUnsignedLong(total - counted); // the kernel's count is 32 bits
    counted = total;
    return more;
  }
}
