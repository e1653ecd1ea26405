package io.sudp.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.sudp.testing.NumberingEcho.Reply;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The numbering destination the load-balancing test reads its sessions' state from. */
class NumberingEchoTest {
  @Test
  void numbersEachSendersDatagramsAndAnswersNoSenderBeyondItsBound() throws Exception {
    try (NumberingEcho echo = new NumberingEcho(2);
        DatagramSocket first = socket();
        DatagramSocket second = socket();
        DatagramSocket third = socket()) {
      assertThat(exchange(first, echo, new byte[] {1})).isEqualTo(new Reply(1, port(first), null));
      assertThat(exchange(first, echo, new byte[] {2})).isEqualTo(new Reply(2, port(first), null));
      assertThat(exchange(second, echo, new byte[0])).isEqualTo(new Reply(1, port(second), null));

      third.setSoTimeout(500);
      send(third, echo, new byte[] {3});
      assertThat(receive(third)).isNull();
      assertThat(echo.unanswered()).isEqualTo(1);
      assertThat(exchange(first, echo, new byte[] {4})).isEqualTo(new Reply(3, port(first), null));
    }
  }

  /** The reply to {@code payload}, its payload checked byte for byte and then left out. */
  private static Reply exchange(DatagramSocket socket, NumberingEcho echo, byte[] payload)
      throws Exception {
    socket.setSoTimeout(10_000);
    send(socket, echo, payload);
    Reply reply = Reply.of(receive(socket));
    assertThat(reply.payload()).isEqualTo(payload);
    return new Reply(reply.number(), reply.senderPort(), null);
  }

  private static DatagramSocket socket() throws Exception {
    return new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
  }

  private static int port(DatagramSocket socket) {
    return socket.getLocalPort();
  }

  private static void send(DatagramSocket socket, NumberingEcho echo, byte[] payload)
      throws Exception {
    String[] address = echo.address().split(":");
    socket.send(
        new DatagramPacket(
            payload,
            payload.length,
            new InetSocketAddress(address[0], Integer.parseInt(address[1]))));
  }

  private static byte[] receive(DatagramSocket socket) throws Exception {
    byte[] buffer = new byte[65_536];
    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
    try {
      socket.receive(packet);
    } catch (java.net.SocketTimeoutException e) {
      return null;
    }
    return Arrays.copyOf(buffer, packet.getLength());
  }
}
