package io.sudp.echo;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.sudp.udp.ReceivedDatagram;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every datagram of a burst goes back to its own sender, byte for byte, in order. */
class EchoReplyTest {
  @Test
  void aBurstGoesBackToItsSendersInOrder() {
    InetSocketAddress alice = new InetSocketAddress("127.0.0.1", 40001);
    InetSocketAddress bob = new InetSocketAddress("127.0.0.1", 40002);
    EmbeddedChannel socket = new EmbeddedChannel();

    new EchoReply()
        .echo(
            List.of(
                new ReceivedDatagram(new byte[] {1, 2}, alice),
                new ReceivedDatagram(new byte[] {3}, bob),
                new ReceivedDatagram(new byte[] {4, 5, 6}, alice)),
            socket);

    List<DatagramPacket> sent =
        List.of(socket.readOutbound(), socket.readOutbound(), socket.readOutbound());
    assertThat((Object) socket.readOutbound()).isNull();
    assertThat(sent).extracting(DatagramPacket::recipient).containsExactly(alice, bob, alice);
    assertThat(sent)
        .extracting(packet -> ByteBufUtil.getBytes(packet.content()))
        .containsExactly(new byte[] {1, 2}, new byte[] {3}, new byte[] {4, 5, 6});
    sent.forEach(DatagramPacket::release);
    socket.finishAndReleaseAll();
  }
}
