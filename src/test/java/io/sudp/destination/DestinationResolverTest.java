package io.sudp.destination;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoop;
import io.sudp.transport.SharedVertx;
import io.sudp.udp.DatagramSockets;
import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Destination names asked of a real (tiny) DNS server over UDP. */
class DestinationResolverTest {
  /** Answers every A question with 127.0.0.1 for an hour, other questions with nothing. */
  private static final class TinyDns implements AutoCloseable {
    final DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    final AtomicInteger questionsForA = new AtomicInteger();
    final Thread thread = new Thread(this::serve, "tiny-dns");

    TinyDns() throws SocketException {
      thread.setDaemon(true);
      thread.start();
    }

    private void serve() {
      byte[] buffer = new byte[512];
      while (!socket.isClosed()) {
        try {
          DatagramPacket query = new DatagramPacket(buffer, buffer.length);
          socket.receive(query);
          int end = 12;
          while (buffer[end] != 0) {
            end += (buffer[end] & 0xff) + 1;
          }
          end += 5; // past the name's last byte, its type and its class
          boolean typeA = buffer[end - 4] == 0 && buffer[end - 3] == 1;
          ByteArrayOutputStream answer = new ByteArrayOutputStream();
          answer.write(buffer, 0, 2); // id
          answer.write(
              new byte[] {(byte) 0x81, (byte) 0x80, 0, 1, 0, typeA ? (byte) 1 : 0, 0, 0, 0, 0});
          answer.write(buffer, 12, end - 12);
          if (typeA) {
            questionsForA.incrementAndGet();
            answer.write(
                new byte[] {(byte) 0xc0, 12, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4, 127, 0, 0, 1});
          }
          byte[] bytes = answer.toByteArray();
          socket.send(new DatagramPacket(bytes, bytes.length, query.getSocketAddress()));
        } catch (Exception closed) {
          return;
        }
      }
    }

    @Override
    public void close() {
      socket.close();
    }
  }

  @Test
  void eachNameIsAskedAgainNothingIsCached() throws Exception {
    try (TinyDns dns = new TinyDns();
        SharedVertx vertx = new SharedVertx(1)) {
      DestinationResolver resolver =
          new DestinationResolver(
              DatagramSockets.on(vertx.eventLoopGroup()),
              List.of((InetSocketAddress) dns.socket.getLocalSocketAddress()),
              Duration.ofSeconds(5));
      EventLoop loop = vertx.eventLoopGroup().next();
      for (int i = 0; i < 3; i++) {
        InetAddress address = resolver.resolve(loop, "a.example").get(10, TimeUnit.SECONDS);
        assertThat(address.getHostAddress()).isEqualTo("127.0.0.1");
      }
      assertThat(dns.questionsForA.get()).as("questions the DNS server was asked").isEqualTo(3);
    }
  }
}
