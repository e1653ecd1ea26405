package io.sudp.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A lean UDP destination for the benchmark: echoes every datagram, or only counts it (sink mode,
 * for one-way throughput). One thread, blocking I/O: the cheapest thing the kernel allows.
 */
final class EchoTarget implements AutoCloseable {
  private final DatagramChannel channel;
  private final Thread thread;
  private final AtomicLong received = new AtomicLong();
  private volatile boolean echo = true;

  EchoTarget() throws IOException {
    channel = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
    channel.socket().setReceiveBufferSize(8 << 20);
    thread = new Thread(this::serve, "bench-echo");
    thread.setDaemon(true);
    thread.start();
  }

  int port() throws IOException {
    return ((InetSocketAddress) channel.getLocalAddress()).getPort();
  }

  void echo(boolean echo) {
    this.echo = echo;
  }

  long received() {
    return received.get();
  }

  private void serve() {
    ByteBuffer buffer = ByteBuffer.allocateDirect(65_536);
    try {
      while (true) {
        buffer.clear();
        SocketAddress sender = channel.receive(buffer);
        received.incrementAndGet();
        if (echo) {
          buffer.flip();
          channel.send(buffer, sender);
        }
      }
    } catch (ClosedChannelException e) {
      // closed: done
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws Exception {
    channel.close();
    thread.join(5_000);
  }
}
