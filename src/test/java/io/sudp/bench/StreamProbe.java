package io.sudp.bench;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * An application talking through a tunnel to an echo: numbered datagrams at a paced rate, sent in
 * bursts of {@code burst} back to back (1: evenly spaced, as VoIP; 8: as a video frame), each echo
 * timed by the number it carries. Optionally it asks again, once, when a datagram has had no answer
 * for {@code retryMillis}, as a DNS resolver does (the copy carries the same number: both answers
 * count, as the destination's). One sender thread that sleeps until the next burst is due and one
 * receiver thread, so it never spins against the tunnel for the machine's cores.
 */
final class StreamProbe implements AutoCloseable {
  /** What the stream saw. Times in nanoseconds; {@code roundTrips} sorted. */
  record Result(
      int sent, int answered, long[] roundTrips, int answeredTwice, int reordered, int retries) {
    long percentileMicros(double p) {
      return Percentiles.of(roundTrips, p) / 1_000;
    }

    /** Datagrams whose first answer came more than {@code millis} after they were first sent. */
    int answeredLaterThan(long millis) {
      long limit = TimeUnit.MILLISECONDS.toNanos(millis);
      return (int) Arrays.stream(roundTrips).filter(rtt -> rtt > limit).count();
    }
  }

  private static final int HEADER = 12; // sequence number, then the first send's System.nanoTime

  private final DatagramSocket socket;
  private final int rate;
  private final int burst;
  private final int size;
  private final long retryNanos;
  private final int capacity;
  private final long[] firstSent;
  private final long[] firstAnswer;
  private final AtomicIntegerArray answers;
  private final Thread sender;
  private final Thread receiver;
  private volatile boolean sending = true;
  private volatile boolean receiving = true;
  private volatile int sent;
  private int retries;
  private int reordered;

  StreamProbe(int tunnelPort, int rate, int burst, int size, long retryMillis, int maxSeconds)
      throws IOException {
    this.rate = rate;
    this.burst = burst;
    this.size = Math.max(size, HEADER);
    this.retryNanos = TimeUnit.MILLISECONDS.toNanos(retryMillis);
    this.capacity = rate * maxSeconds + burst;
    firstSent = new long[capacity];
    firstAnswer = new long[capacity];
    answers = new AtomicIntegerArray(capacity);
    socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    socket.connect(new InetSocketAddress("127.0.0.1", tunnelPort));
    socket.setReceiveBufferSize(4 << 20);
    socket.setSoTimeout(100);
    sender = new Thread(this::send, "probe-sender-" + tunnelPort);
    receiver = new Thread(this::receive, "probe-receiver-" + tunnelPort);
    receiver.start();
    sender.start();
  }

  private void send() {
    byte[] out = new byte[size];
    long interval = 1_000_000_000L / rate;
    long start = System.nanoTime();
    int retryCursor = 0;
    try {
      for (int seq = 0; sending && seq < capacity; seq++) {
        long wait = start + (seq - seq % burst) * interval - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        long now = System.nanoTime();
        firstSent[seq] = now;
        write(out, seq, now);
        sent = seq + 1;
        if (retryNanos > 0) {
          while (retryCursor < seq && now - firstSent[retryCursor] >= retryNanos) {
            if (answers.get(retryCursor) == 0) {
              write(out, retryCursor, firstSent[retryCursor]);
              retries++;
            }
            retryCursor++;
          }
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void write(byte[] out, int seq, long stamp) throws IOException {
    ByteBuffer.wrap(out).putInt(seq).putLong(stamp);
    try {
      socket.send(new DatagramPacket(out, out.length));
    } catch (PortUnreachableException e) {
      // an ICMP error for an earlier datagram (a listener being replaced): this one was not sent
    }
  }

  private void receive() {
    DatagramPacket in = new DatagramPacket(new byte[65_536], 65_536);
    int highest = -1;
    try {
      while (receiving) {
        try {
          socket.receive(in);
        } catch (SocketTimeoutException | PortUnreachableException e) {
          continue;
        }
        long now = System.nanoTime();
        if (in.getLength() < HEADER) {
          continue;
        }
        int seq = ByteBuffer.wrap(in.getData()).getInt();
        if (seq < 0 || seq >= capacity) {
          continue;
        }
        if (answers.getAndIncrement(seq) == 0) {
          firstAnswer[seq] = now;
          if (seq < highest) {
            reordered++;
          }
          highest = Math.max(highest, seq);
        }
      }
    } catch (IOException e) {
      if (receiving) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** Stops sending; the answers still on their way keep coming in. */
  void stopSending() throws InterruptedException {
    sending = false;
    sender.join();
  }

  /** Stops sending, waits {@code drainMillis} for the last answers and tells what came back. */
  Result finish(long drainMillis) throws InterruptedException {
    stopSending();
    Thread.sleep(drainMillis); // the benchmark's own drain period, not a wait for a condition
    receiving = false;
    receiver.join();
    int count = sent;
    long[] roundTrips = new long[count];
    int answered = 0;
    int twice = 0;
    for (int seq = 0; seq < count; seq++) {
      int replies = answers.get(seq);
      if (replies > 0) {
        long rtt = firstAnswer[seq] - firstSent[seq];
        roundTrips[answered++] = rtt;
      }
      twice += Math.max(0, replies - 1);
    }
    long[] sorted = Arrays.copyOf(roundTrips, answered);
    Arrays.sort(sorted);
    return new Result(count, answered, sorted, twice, reordered, retries);
  }

  @Override
  public void close() throws IOException {
    sending = false;
    receiving = false;
    socket.close();
  }
}
