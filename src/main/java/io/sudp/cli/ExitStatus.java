package io.sudp.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Makes the process end with the status the command chose, also when it was stopped by SIGTERM or
 * SIGINT: the JVM would report 143 or 130 for a shutdown that in fact went as planned. A shutdown
 * hook waits until the command has finished stopping (bounded), then ends the process with its
 * status.
 */
final class ExitStatus {
  private static final long STOP_TIMEOUT_SECONDS = 20;

  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile int status = Sudp.FAILED;

  ExitStatus() {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    finished.await(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  Runtime.getRuntime().halt(status);
                },
                "sudp-exit-status"));
  }

  /** The command is done, with {@code code}; the process ends with it. */
  void finished(int code) {
    status = code;
    finished.countDown();
  }
}
