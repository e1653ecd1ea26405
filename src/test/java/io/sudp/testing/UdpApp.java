package io.sudp.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * A local application using the tunnel. By default its UDP socket is connected to the tunnel's
 * listening port, so the kernel only lets in replies that come from exactly that port.
 */
public final class UdpApp implements AutoCloseable {
  private final DatagramSocket socket;
  private final InetSocketAddress tunnel;

  public UdpApp(int tunnelPort) throws IOException {
    this(tunnelPort, true);
  }

  /**
   * @param connected false for an unconnected socket: the JDK silently skips sending an empty
   *     datagram on a connected one
   */
  public UdpApp(int tunnelPort, boolean connected) throws IOException {
    tunnel = new InetSocketAddress("127.0.0.1", tunnelPort);
    socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    if (connected) {
      socket.connect(tunnel);
    }
    socket.setReceiveBufferSize(4 << 20);
  }

  public void send(byte[] payload) throws IOException {
    socket.send(new DatagramPacket(payload, payload.length, tunnel));
  }

  /** The next datagram, or null if none arrives within {@code timeoutMillis}. */
  public byte[] receive(int timeoutMillis) throws IOException {
    byte[] buffer = new byte[65_536];
    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
    socket.setSoTimeout(timeoutMillis);
    try {
      socket.receive(packet);
      return Arrays.copyOf(buffer, packet.getLength());
    } catch (SocketTimeoutException | PortUnreachableException e) {
      return null; // nothing came, or nothing listens on the tunnel's port yet
    }
  }

  /**
   * Sends {@code payload} until its echo comes back, resending a few times (the tunnel may still be
   * connecting), and returns it; null if it never did. Replies to datagrams sent before, which a
   * slow machine may deliver late, are passed over: the answer is to this datagram or none. When it
   * was sent more than once, the echo of another copy may still come after this returns: what reads
   * the socket next must tell it from its own (by a payload of its own).
   */
  public byte[] roundTrip(byte[] payload) throws IOException {
    for (int attempt = 0; attempt < 10; attempt++) {
      send(payload);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
      long left;
      while ((left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())) > 0) {
        byte[] reply = receive((int) left);
        if (reply == null) {
          break; // nothing came in time, or the tunnel's port is not open yet: send again
        }
        if (Arrays.equals(reply, payload)) {
          return reply;
        }
      }
    }
    return null;
  }

  /** As {@link #sendOnceAndAwaitEcho(byte[], int)}, waiting up to 20 s, for a loaded machine. */
  public byte[] sendOnceAndAwaitEcho(byte[] payload) throws IOException {
    return sendOnceAndAwaitEcho(payload, 20_000);
  }

  /**
   * Sends {@code payload} once and waits up to {@code timeoutMillis} for its echo, passing over any
   * other datagram (a late reply to something sent before); null if it did not come. For tests that
   * count datagrams: unlike {@link #roundTrip}, it never sends a second copy.
   */
  public byte[] sendOnceAndAwaitEcho(byte[] payload, int timeoutMillis) throws IOException {
    send(payload);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    long left;
    while ((left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())) > 0) {
      byte[] reply = receive((int) left);
      if (reply != null && Arrays.equals(reply, payload)) {
        return reply;
      }
    }
    return null;
  }

  @Override
  public void close() {
    socket.close();
  }
}
