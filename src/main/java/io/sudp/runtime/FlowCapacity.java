package io.sudp.runtime;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * How many flows this process can hold, when the configuration does not say: every flow is a UDP
 * socket (a file descriptor) and a few KiB of heap. Flows get the file descriptors left once those
 * already open, every connection and handshake the server allows and a margin (logs, DNS, the
 * management port) are set aside, so that flows run out before connections do; and no more than
 * the heap holds at {@value #HEAP_PER_FLOW} bytes each.
 */
final class FlowCapacity {
  static final long HEAP_PER_FLOW = 16 * 1024;
  static final long MARGIN = 64;

  private final long maxDescriptors;
  private final long openDescriptors;
  private final long maxHeap;

  FlowCapacity(long maxDescriptors, long openDescriptors, long maxHeap) {
    this.maxDescriptors = maxDescriptors;
    this.openDescriptors = openDescriptors;
    this.maxHeap = maxHeap;
  }

  /** This process's limits; without a Unix operating system bean, the heap alone decides. */
  static FlowCapacity ofThisProcess() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    long max = Long.MAX_VALUE;
    long open = 0;
    if (os instanceof UnixOperatingSystemMXBean unix) {
      max = unix.getMaxFileDescriptorCount();
      open = unix.getOpenFileDescriptorCount();
    }
    return new FlowCapacity(max, open, Runtime.getRuntime().maxMemory());
  }

  /** Flows that fit beside {@code connections} TCP connections (at least 0). */
  int flows(long connections) {
    long byDescriptors = maxDescriptors - openDescriptors - connections - MARGIN;
    long byHeap = maxHeap / HEAP_PER_FLOW;
    return (int) Math.max(0, Math.min(Integer.MAX_VALUE, Math.min(byDescriptors, byHeap)));
  }

  /** File descriptors free for flows beside {@code connections} TCP connections. */
  long descriptorsForFlows(long connections) {
    return maxDescriptors - openDescriptors - connections - MARGIN;
  }
}
