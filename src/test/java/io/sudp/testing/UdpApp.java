package io.sudp.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.util.Arrays;

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

  /** Sends and waits for the reply, resending a few times: the tunnel may still be connecting. */
  public byte[] roundTrip(byte[] payload) throws IOException {
    for (int attempt = 0; attempt < 10; attempt++) {
      send(payload);
      byte[] reply = receive(1_000);
      if (reply != null) {
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
