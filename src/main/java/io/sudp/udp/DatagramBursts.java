package io.sudp.udp;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import java.util.ArrayList;
import java.util.List;

/**
 * The decoder of a UDP listener: the datagrams one turn of the event loop reads (up to {@link
 * ListenerTuning#READS_PER_TURN}) go on as one {@code List<ReceivedDatagram>}, in arrival order.
 * What the next step costs per message is then paid per burst, not per datagram, where a busy
 * tunnel's CPU went; a lone datagram is a list of one and waits for nothing. It also tunes the
 * listener ({@link ListenerTuning}) when it joins the listener's pipeline. One per listener: it
 * holds the burst being read.
 */
public final class DatagramBursts extends ChannelInboundHandlerAdapter {
  private List<ReceivedDatagram> burst = new ArrayList<>();

  @Override
  public void handlerAdded(ChannelHandlerContext context) {
    ListenerTuning.apply(context.channel());
  }

  @Override
  public void channelRead(ChannelHandlerContext context, Object message) {
    if (message instanceof DatagramPacket packet) {
      try {
        burst.add(new ReceivedDatagram(ByteBufUtil.getBytes(packet.content()), packet.sender()));
      } finally {
        packet.release();
      }
    } else {
      context.fireChannelRead(message);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext context) {
    if (!burst.isEmpty()) {
      List<ReceivedDatagram> complete = burst;
      burst = new ArrayList<>();
      context.fireChannelRead(complete);
    }
    context.fireChannelReadComplete();
  }
}
