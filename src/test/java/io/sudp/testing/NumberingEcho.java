package io.sudp.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP destination that keeps state per sender, as a game server or a VPN peer does: it numbers
 * each sender's datagrams (1, 2, ...) and answers each with its number and the sender's port in
 * front of the datagram. Through a tunnel, the port is that of the server's flow socket: a flow
 * that survived keeps its port and its numbering; a new one starts again at 1 from another port.
 */
public final class NumberingEcho implements AutoCloseable {
  /** Bytes in front of the echoed datagram: its number (int) and the sender's port (short). */
  public static final int HEADER = 6;

  /** The longest datagram answered whole: with the header, the largest UDP payload. */
  public static final int MAX_PAYLOAD = 65_507 - HEADER;

  /** What a reply says: the datagram's number for its sender, the sender's port, the datagram. */
  public record Reply(int number, int senderPort, byte[] payload) {
    /** The reply in {@code datagram}, or null if it is too short to be one. */
    public static Reply of(byte[] datagram) {
      if (datagram.length < HEADER) {
        return null;
      }
      ByteBuffer buffer = ByteBuffer.wrap(datagram);
      int number = buffer.getInt();
      int port = Short.toUnsignedInt(buffer.getShort());
      byte[] payload = new byte[datagram.length - HEADER];
      buffer.get(payload);
      return new Reply(number, port, payload);
    }
  }

  private final DatagramSocket socket;
  private final Thread thread;
  private final Map<SocketAddress, Integer> numbers = new HashMap<>();
  private final AtomicLong unanswered = new AtomicLong();
  private final int maxSenders;

  /** An echo that keeps a number for at most 4,096 senders. */
  public NumberingEcho() throws IOException {
    this(4096);
  }

  /**
   * @param maxSenders senders it keeps a number for; datagrams of further senders are not answered
   */
  public NumberingEcho(int maxSenders) throws IOException {
    this.maxSenders = maxSenders;
    socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    socket.setReceiveBufferSize(4 << 20);
    thread = new Thread(this::serve, "numbering-echo-" + socket.getLocalPort());
    thread.setDaemon(true);
    thread.start();
  }

  public String address() {
    return "127.0.0.1:" + socket.getLocalPort();
  }

  /** Datagrams not answered because as many other senders as it keeps came first. */
  public long unanswered() {
    return unanswered.get();
  }

  private void serve() {
    byte[] buffer = new byte[65_536];
    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
    while (!socket.isClosed()) {
      try {
        packet.setLength(buffer.length);
        socket.receive(packet);
        SocketAddress sender = packet.getSocketAddress();
        if (!numbers.containsKey(sender) && numbers.size() >= maxSenders) {
          unanswered.incrementAndGet();
          continue;
        }
        int number = numbers.merge(sender, 1, Integer::sum);
        int length = Math.min(packet.getLength(), MAX_PAYLOAD);
        byte[] reply =
            ByteBuffer.allocate(HEADER + length)
                .putInt(number)
                .putShort((short) packet.getPort())
                .put(buffer, 0, length)
                .array();
        socket.send(new DatagramPacket(reply, reply.length, sender));
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
