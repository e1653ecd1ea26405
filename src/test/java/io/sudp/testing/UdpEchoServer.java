package io.sudp.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A UDP destination for tests: returns every datagram to its sender (or what its {@link Answer}
 * makes of it) and counts them.
 */
public final class UdpEchoServer implements AutoCloseable {
  /** What the destination sends back for a datagram from {@code sender}: null for nothing. */
  @FunctionalInterface
  public interface Answer {
    byte[] to(SocketAddress sender, byte[] datagram);
  }

  private final DatagramSocket socket;
  private final Answer answer;
  private final Thread thread;
  private final AtomicLong received = new AtomicLong();
  private final Set<Integer> senderPorts = ConcurrentHashMap.newKeySet();
  private volatile Consumer<byte[]> observer = payload -> {};

  /** An echo: every datagram goes back as it came. */
  public UdpEchoServer() throws SocketException {
    this((sender, datagram) -> datagram);
  }

  public UdpEchoServer(Answer answer) throws SocketException {
    this.answer = answer;
    socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    socket.setReceiveBufferSize(4 << 20);
    thread = new Thread(this::serve, "udp-echo-" + socket.getLocalPort());
    thread.setDaemon(true);
    thread.start();
  }

  /** Sees every datagram, in arrival order, on the echo thread. */
  public void observe(Consumer<byte[]> observer) {
    this.observer = observer;
  }

  public int port() {
    return socket.getLocalPort();
  }

  public String address() {
    return "127.0.0.1:" + port();
  }

  public long received() {
    return received.get();
  }

  /** The source ports datagrams came from: one per UDP socket of the tunnel server. */
  public Set<Integer> senderPorts() {
    return senderPorts;
  }

  private void serve() {
    byte[] buffer = new byte[65_536];
    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
    while (!socket.isClosed()) {
      try {
        packet.setLength(buffer.length);
        socket.receive(packet);
        received.incrementAndGet();
        senderPorts.add(packet.getPort());
        byte[] datagram = Arrays.copyOf(buffer, packet.getLength());
        observer.accept(datagram);
        byte[] reply = answer.to(packet.getSocketAddress(), datagram);
        if (reply != null) {
          socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
        }
      } catch (IOException e) {
        // closed, or a transient send failure: keep serving until closed
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    socket.close();
    thread.join(5_000);
  }
}
