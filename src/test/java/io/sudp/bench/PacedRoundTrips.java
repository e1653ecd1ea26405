package io.sudp.bench;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One paced measurement: datagram {@code seq} is due at {@code seq / rate} seconds, sent by the
 * calling thread, which sleeps until then (and sends every datagram that is due when it wakes, so
 * it never spins against the tunnel for the machine's cores); a receiver records each reply's round
 * trip by its sequence number.
 */
final class PacedRoundTrips {
  /** Sends datagram {@code seq} of the measurement, stamped with the time it is sent. */
  interface Sender {
    void send(int seq) throws Exception;
  }

  private final long[] rtts;
  private final AtomicInteger received = new AtomicInteger();

  PacedRoundTrips(int count) {
    rtts = new long[count];
    Arrays.fill(rtts, -1);
  }

  /** A reply to datagram {@code seq} took {@code rtt} ns; repeats and strangers are ignored. */
  void record(int seq, long rtt) {
    if (seq >= 0 && seq < rtts.length && rtts[seq] < 0) {
      rtts[seq] = rtt;
      received.incrementAndGet();
    }
  }

  /**
   * Sends every datagram at {@code rate} per second, waits up to 500 ms for the last replies and
   * returns the round trips in nanoseconds, sorted; lost datagrams are left out.
   */
  long[] run(int rate, Sender sender) throws Exception {
    long interval = 1_000_000_000L / rate;
    long start = System.nanoTime();
    for (int seq = 0; seq < rtts.length; seq++) {
      long wait = start + seq * interval - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      sender.send(seq);
    }
    long drainUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
    while (System.nanoTime() < drainUntil && received.get() < rtts.length) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
    return Arrays.stream(rtts).filter(rtt -> rtt >= 0).sorted().toArray();
  }
}
