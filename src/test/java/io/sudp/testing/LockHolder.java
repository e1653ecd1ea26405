package io.sudp.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;

/**
 * Another process holding the lock of a file, as a running instance holds its PID file, without
 * writing anything into it. Closing it ends the process; so does the end of the test's JVM, which
 * closes its standard input.
 */
public final class LockHolder implements AutoCloseable {
  private static final String HELD = "held";

  private final RealProcess process;

  private LockHolder(RealProcess process) {
    this.process = process;
  }

  /** Starts a process that locks {@code file} (creating it), once it holds the lock. */
  public static LockHolder hold(Path file, Path dir) throws IOException {
    RealProcess process =
        RealProcess.start(
            dir,
            "lock-holder",
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                LockHolder.class.getName(),
                file.toString()));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> process.output().contains(HELD) || !process.isAlive());
    if (!process.isAlive()) {
      throw new IllegalStateException("the lock holder ended: " + process.output());
    }
    return new LockHolder(process);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    process.close();
  }

  /** Locks {@code args[0]} until standard input ends. */
  public static void main(String[] args) throws IOException {
    try (FileChannel channel =
        FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      channel.lock();
      System.out.println(HELD);
      System.out.flush();
      while (System.in.read() >= 0) {
        // wait
      }
    }
  }
}
