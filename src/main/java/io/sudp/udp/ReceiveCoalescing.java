package io.sudp.udp;

import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.epoll.EpollDatagramChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets the kernel hand a socket a run of equal-size datagrams from one sender in one read (UDP GRO,
 * Linux 5.0 or later, epoll): a sender that sends runs (QUIC stacks, wireguard-go, a SUDP tunnel's
 * own replies) or a network card that coalesces a bulk flow costs one system call per run instead
 * of one per datagram. Netty cuts the run back into the same datagrams before the pipeline sees
 * them, so nothing downstream changes; the 64 KiB read buffers of SUDP's sockets hold the largest
 * run the kernel makes. Elsewhere (NIO, older kernels) datagrams are read one by one as before.
 */
public final class ReceiveCoalescing {
  private static final Logger LOG = LoggerFactory.getLogger(ReceiveCoalescing.class);

  private ReceiveCoalescing() {}

  /** Turns coalesced reads on for {@code channel} where it can have them; returns it. */
  public static <C extends Channel> C enable(C channel) {
    if (channel instanceof EpollDatagramChannel epoll) {
      try {
        epoll.config().setUdpGro(true);
      } catch (ChannelException unsupported) {
        LOG.debug("UDP GRO unavailable, datagrams are read one by one: {}", unsupported.toString());
      }
    }
    return channel;
  }
}
