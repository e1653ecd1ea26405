package io.sudp.testing;

import java.io.IOException;
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

  /** Touched by the destination's one receiving thread only. */
  private final Map<SocketAddress, Integer> numbers = new HashMap<>();

  private final AtomicLong unanswered = new AtomicLong();
  private final int maxSenders;
  private final UdpEchoServer destination;

  /** An echo that keeps a number for at most 4,096 senders. */
  public NumberingEcho() throws IOException {
    this(4096);
  }

  /**
   * @param maxSenders senders it keeps a number for; datagrams of further senders are not answered
   */
  public NumberingEcho(int maxSenders) throws IOException {
    this.maxSenders = maxSenders;
    this.destination = new UdpEchoServer(this::answer);
  }

  public String address() {
    return destination.address();
  }

  /** Datagrams not answered because as many other senders as it keeps came first. */
  public long unanswered() {
    return unanswered.get();
  }

  private byte[] answer(SocketAddress sender, byte[] datagram) {
    if (!numbers.containsKey(sender) && numbers.size() >= maxSenders) {
      unanswered.incrementAndGet();
      return null;
    }
    int number = numbers.merge(sender, 1, Integer::sum);
    int length = Math.min(datagram.length, MAX_PAYLOAD);
    return ByteBuffer.allocate(HEADER + length)
        .putInt(number)
        .putShort((short) ((InetSocketAddress) sender).getPort())
        .put(datagram, 0, length)
        .array();
  }

  @Override
  public void close() throws InterruptedException {
    destination.close();
  }
}
