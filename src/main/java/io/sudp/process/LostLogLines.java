package io.sudp.process;

import io.sudp.ops.Failures;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Log lines the log file could not take (a full disk, an I/O error): counted for the metric {@code
 * sudp_log_lines_lost_total}, and said on standard error, which is where an operator looks when the
 * log itself is silent. Said at the first failure, then at most once a minute while failures go on,
 * and once when the file takes lines again after a failure that was said.
 */
public final class LostLogLines {
  private static final long NOTICE_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final PrintStream err;
  private final LongSupplier clock;
  private final AtomicLong lost = new AtomicLong();
  private volatile boolean failing;
  private boolean said; // this failure was said on standard error; guarded by this
  private long lastNotice; // guarded by this
  private boolean noticed; // guarded by this

  /** Notices on {@code err}. */
  LostLogLines(PrintStream err) {
    this(err, System::nanoTime);
  }

  LostLogLines(PrintStream err, LongSupplier clock) {
    this.err = err;
    this.clock = clock;
  }

  /** A line {@code file} did not take because of {@code error}. */
  synchronized void lost(Path file, IOException error) {
    long count = lost.incrementAndGet();
    failing = true;
    long now = clock.getAsLong();
    if (!noticed || now - lastNotice >= NOTICE_INTERVAL_NANOS) {
      noticed = true;
      lastNotice = now;
      said = true;
      err.println(
          "sudp: cannot write the log file "
              + file
              + ": "
              + Failures.fileProblem(error)
              + "; log lines are lost ("
              + count
              + " so far, metric sudp_log_lines_lost_total)");
    }
  }

  /** A line {@code file} took. */
  void written(Path file) {
    if (failing) {
      recovered(file);
    }
  }

  private synchronized void recovered(Path file) {
    if (failing && said) {
      err.println(
          "sudp: the log file "
              + file
              + " takes lines again; "
              + lost.get()
              + " log lines lost in all");
    }
    failing = false;
    said = false;
  }

  /** Lines lost since the process started. */
  public long count() {
    return lost.get();
  }
}
