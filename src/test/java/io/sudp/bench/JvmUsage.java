package io.sudp.bench;

import java.lang.management.ManagementFactory;

/** What this JVM uses: heap in use after full collections. */
final class JvmUsage {
  private JvmUsage() {}

  /** Heap in use after three full collections, in bytes. */
  static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200); // let reference processing settle between collections (not a test)
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
