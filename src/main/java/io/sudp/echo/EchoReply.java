package io.sudp.echo;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.sudp.udp.DatagramOut;
import io.sudp.udp.ReceivedDatagram;
import java.util.List;

/**
 * The built-in echo service: sends a burst of datagrams back to their senders from the socket they
 * arrived on, empty ones included, in order.
 */
public final class EchoReply {
  /** An echo the kernel refuses is lost, as it would be on the network. */
  private static final ChannelFutureListener LOST = sent -> {};

  /** Echoes {@code burst}, which {@code socket} read, from {@code socket}. */
  public void echo(List<ReceivedDatagram> burst, Channel socket) {
    DatagramOut out = new DatagramOut(socket, LOST);
    for (ReceivedDatagram datagram : burst) {
      out.add(datagram.payload(), datagram.sender());
    }
    out.flush();
  }
}
