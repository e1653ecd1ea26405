package io.sudp.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;

/**
 * A plain UDP relay for one flow, run as its own process: what it costs a datagram to pass through
 * a process that does nothing else. Two of them in a row ({@link RelayChain}) have the tunnel's
 * four extra hops and wake-ups, without WebSocket, TCP, Camel or Netty, so the latency they add is
 * the floor for any client-and-server tunnel on the machine at hand.
 *
 * <pre>java -cp target/test-classes io.sudp.bench.RelayHop LISTEN_PORT TARGET_PORT</pre>
 *
 * One thread per direction, blocking I/O; replies go to the latest sender.
 */
public final class RelayHop {
  private final DatagramChannel front;
  private final DatagramChannel back;
  private volatile SocketAddress sender;

  private RelayHop(int listenPort, int targetPort) throws IOException {
    front = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", listenPort));
    back =
        DatagramChannel.open()
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .connect(new InetSocketAddress("127.0.0.1", targetPort));
    for (DatagramChannel channel : new DatagramChannel[] {front, back}) {
      channel.socket().setReceiveBufferSize(4 << 20);
    }
  }

  public static void main(String[] args) throws Exception {
    RelayHop hop = new RelayHop(Integer.parseInt(args[0]), Integer.parseInt(args[1]));
    Thread replies = new Thread(hop::relayReplies, "relay-replies");
    replies.start();
    hop.relayRequests();
  }

  private void relayRequests() throws IOException {
    ByteBuffer buffer = ByteBuffer.allocateDirect(65_536);
    while (true) {
      buffer.clear();
      sender = front.receive(buffer);
      buffer.flip();
      back.write(buffer);
    }
  }

  private void relayReplies() {
    ByteBuffer buffer = ByteBuffer.allocateDirect(65_536);
    try {
      while (true) {
        buffer.clear();
        back.read(buffer);
        buffer.flip();
        front.send(buffer, sender);
      }
    } catch (ClosedChannelException e) {
      // process ending
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
