package io.sudp.bench;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The benchmark's UDP application: round trips, one-way blasts and paced latency probes. */
final class LoadGenerator {
  private LoadGenerator() {}

  /**
   * Round trips per second with {@code flows} sockets, each keeping {@code window} datagrams in
   * flight; a flow whose replies stop for 100 ms is refilled (its datagrams were lost).
   */
  static double roundTrips(
      InetSocketAddress target,
      int size,
      int flows,
      int window,
      long warmupNanos,
      long measureNanos)
      throws IOException {
    try (Selector selector = Selector.open()) {
      List<DatagramChannel> channels = new ArrayList<>();
      int[] inFlight = new int[flows];
      long[] lastReply = new long[flows];
      ByteBuffer out = ByteBuffer.allocateDirect(size);
      ByteBuffer in = ByteBuffer.allocateDirect(65_536);
      for (int i = 0; i < flows; i++) {
        DatagramChannel channel =
            DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        channel.connect(target);
        channel.configureBlocking(false);
        channel.register(selector, SelectionKey.OP_READ, i);
        channels.add(channel);
      }
      long start = System.nanoTime();
      long measureFrom = start + warmupNanos;
      long end = measureFrom + measureNanos;
      long counted = 0;
      long now = start;
      while (now < end) {
        for (int i = 0; i < flows; i++) {
          if (inFlight[i] > 0 && now - lastReply[i] > TimeUnit.MILLISECONDS.toNanos(100)) {
            inFlight[i] = 0;
          }
          while (inFlight[i] < window) {
            out.clear();
            if (channels.get(i).write(out) == 0) {
              break;
            }
            if (inFlight[i]++ == 0) {
              lastReply[i] = now;
            }
          }
        }
        selector.select(10);
        now = System.nanoTime();
        for (SelectionKey key : selector.selectedKeys()) {
          int i = (Integer) key.attachment();
          DatagramChannel channel = (DatagramChannel) key.channel();
          in.clear();
          while (channel.receive(in) != null) {
            in.clear();
            inFlight[i] = Math.max(0, inFlight[i] - 1);
            lastReply[i] = now;
            if (now >= measureFrom) {
              counted++;
            }
          }
        }
        selector.selectedKeys().clear();
      }
      for (DatagramChannel channel : channels) {
        channel.close();
      }
      return counted / (measureNanos / 1e9);
    }
  }

  /** Sends as fast as the socket takes datagrams for the whole period; returns datagrams sent. */
  static long blast(InetSocketAddress target, int size, long nanos) throws IOException {
    try (DatagramChannel channel = DatagramChannel.open()) {
      channel.connect(target);
      ByteBuffer out = ByteBuffer.allocateDirect(size);
      long end = System.nanoTime() + nanos;
      long sent = 0;
      while (System.nanoTime() < end) {
        for (int i = 0; i < 64; i++) {
          out.clear();
          channel.write(out);
          sent++;
        }
      }
      return sent;
    }
  }

  /**
   * Round-trip latencies in nanoseconds of {@code count} datagrams sent one after the other, each
   * as soon as the reply to the one before arrived (one in flight, as a request-response
   * application such as DNS sends), sorted, after {@code warmupNanos} of the same from the same
   * socket (one flow) left out; a datagram whose reply does not come within a second is left out.
   * The sequential test of the table: it measures wake-ups, not queues.
   */
  static long[] sequentialRoundTrips(
      InetSocketAddress target, int size, int count, long warmupNanos) throws IOException {
    long[] rtts = new long[count];
    int received = 0;
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.connect(target);
      socket.setSoTimeout(1_000);
      byte[] out = new byte[Math.max(size, 4)];
      DatagramPacket reply = new DatagramPacket(new byte[65_536], 65_536);
      int seq = 0;
      long warmupEnd = System.nanoTime() + warmupNanos;
      while (System.nanoTime() < warmupEnd) {
        roundTrip(socket, out, size, reply, seq++);
      }
      for (int i = 0; i < count; i++) {
        long rtt = roundTrip(socket, out, size, reply, seq++);
        if (rtt >= 0) {
          rtts[received++] = rtt;
        }
      }
    }
    long[] measured = Arrays.copyOf(rtts, received);
    Arrays.sort(measured);
    return measured;
  }

  /** One datagram numbered {@code seq} and its reply: nanoseconds, or -1 if none came in time. */
  private static long roundTrip(
      DatagramSocket socket, byte[] out, int size, DatagramPacket reply, int seq)
      throws IOException {
    ByteBuffer.wrap(out).putInt(0, seq);
    long start = System.nanoTime();
    socket.send(new DatagramPacket(out, size));
    try {
      do {
        socket.receive(reply); // a late reply to an earlier datagram is skipped
      } while (ByteBuffer.wrap(reply.getData()).getInt(0) != seq);
      return System.nanoTime() - start;
    } catch (SocketTimeoutException lost) {
      return -1;
    }
  }

  /**
   * Round-trip latencies in nanoseconds of datagrams sent at {@code rate} per second in all, for
   * {@code seconds}, spread round robin over {@code flows} sockets; lost datagrams are left out.
   * One thread paces (it sleeps, then sends every datagram that is due, so it never spins against
   * the tunnel for the machine's cores) and one receives from all flows.
   */
  static long[] pacedRoundTrips(
      InetSocketAddress target, int size, int rate, int flows, int seconds) throws Exception {
    PacedRoundTrips measurement = new PacedRoundTrips(rate * seconds);
    List<DatagramChannel> channels = new ArrayList<>();
    try (Selector selector = Selector.open()) {
      for (int i = 0; i < flows; i++) {
        DatagramChannel channel = DatagramChannel.open().bind(null).connect(target);
        channel.socket().setReceiveBufferSize(4 << 20);
        channel.configureBlocking(false);
        channel.register(selector, SelectionKey.OP_READ);
        channels.add(channel);
      }
      Thread receiver = new Thread(() -> receive(selector, measurement), "bench-receiver");
      receiver.start();
      ByteBuffer out = ByteBuffer.allocateDirect(Math.max(size, 12));
      try {
        return measurement.run(
            rate,
            seq -> {
              out.clear();
              out.putInt(0, seq).putLong(4, System.nanoTime());
              out.limit(size);
              channels.get(seq % flows).write(out);
            });
      } finally {
        receiver.interrupt();
        selector.wakeup();
        receiver.join(5_000);
      }
    } finally {
      for (DatagramChannel channel : channels) {
        channel.close();
      }
    }
  }

  private static void receive(Selector selector, PacedRoundTrips measurement) {
    ByteBuffer in = ByteBuffer.allocateDirect(65_536);
    try {
      while (!Thread.currentThread().isInterrupted()) {
        selector.select(100);
        long now = System.nanoTime();
        for (SelectionKey key : selector.selectedKeys()) {
          DatagramChannel channel = (DatagramChannel) key.channel();
          in.clear();
          while (channel.receive(in) != null) {
            measurement.record(in.getInt(0), now - in.getLong(4));
            in.clear();
          }
        }
        selector.selectedKeys().clear();
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
