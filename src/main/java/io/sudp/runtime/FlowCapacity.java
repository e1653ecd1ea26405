package io.sudp.runtime;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.function.LongSupplier;

/**
 * How many flows this process can hold, when the configuration does not say: every flow is a UDP
 * socket (a file descriptor) and a few KiB of heap. Flows get the file descriptors left once those
 * already open, every connection and handshake the server allows and a margin (logs, DNS, the
 * management port) are set aside, so that flows run out before connections do; and no more than the
 * heap holds at {@value #HEAP_PER_FLOW} bytes each.
 */
final class FlowCapacity {
  static final long HEAP_PER_FLOW = 16 * 1024;
  static final long MARGIN = 64;

  private final long maxDescriptors;
  private final long maxHeap;
  private final LongSupplier open;
  private volatile long otherDescriptors;

  /**
   * @param open how many file descriptors the process has open now
   */
  FlowCapacity(long maxDescriptors, LongSupplier open, long maxHeap) {
    this.maxDescriptors = maxDescriptors;
    this.open = open;
    this.maxHeap = maxHeap;
    this.otherDescriptors = open.getAsLong();
  }

  /** This process's limits; without a Unix operating system bean, the heap alone decides. */
  static FlowCapacity ofThisProcess() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof UnixOperatingSystemMXBean unix) {
      return new FlowCapacity(
          unix.getMaxFileDescriptorCount(),
          unix::getOpenFileDescriptorCount,
          Runtime.getRuntime().maxMemory());
    }
    return new FlowCapacity(Long.MAX_VALUE, () -> 0, Runtime.getRuntime().maxMemory());
  }

  /**
   * Counts again the file descriptors that are neither connections nor flows (the JVM's, logs,
   * event loops, the management port's clients), with {@code connections} and {@code flows} open
   * now. Lists the process's descriptors: call now and then, off the event loops.
   */
  void recount(long connections, long flows) {
    otherDescriptors = Math.max(0, open.getAsLong() - connections - flows);
  }

  /**
   * Flows that fit beside {@code connections} TCP connections: what both the file descriptors
   * ({@link #byDescriptors}) and the heap hold.
   */
  int flows(long connections) {
    return (int) Math.min(byDescriptors(connections), maxHeap / HEAP_PER_FLOW);
  }

  /**
   * Whether {@code flows} flows (a new one among them) beside {@code connections} TCP connections
   * leave the process file descriptors for the connections it may still accept and the files it may
   * still open: checked for each new flow before its socket is made, so that flows are refused
   * before anything else runs out, whatever took the descriptors.
   */
  boolean roomForFlow(long connections, long flows) {
    return otherDescriptors + connections + flows + MARGIN <= maxDescriptors;
  }

  /**
   * Flows whose sockets the file descriptors hold beside {@code connections} TCP connections; where
   * they cannot hold those connections and flows too, half of what is free, so that a process with
   * few file descriptors still carries traffic (its connections then run out first).
   */
  int byDescriptors(long connections) {
    long free = freeDescriptors();
    return (int) Math.max(0, Math.min(Integer.MAX_VALUE, Math.max(free - connections, free / 2)));
  }

  /** File descriptors free for connections and flows, the margin set aside. */
  long freeDescriptors() {
    return maxDescriptors - otherDescriptors - MARGIN;
  }
}
