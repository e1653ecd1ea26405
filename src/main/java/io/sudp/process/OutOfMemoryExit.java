package io.sudp.process;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the process when an OutOfMemoryError reaches the end of a thread or Vert.x's exception
 * handler. After one, threads the process needs (the server's accept loop, the management port) may
 * be gone while the JVM stays up and serves nobody; only an exit lets the supervisor (systemd's
 * {@code Restart=on-failure}, a container's restart policy) start it again. The JVM option {@code
 * -XX:+ExitOnOutOfMemoryError}, which the shipped launch paths set, does this for every such error
 * where it is thrown; this guard is the fallback for a plain {@code java -jar} and sees only the
 * errors that nothing caught on the way.
 */
public final class OutOfMemoryExit implements Thread.UncaughtExceptionHandler {
  /** The exit status: the one the JVM itself uses for {@code -XX:+ExitOnOutOfMemoryError}. */
  public static final int STATUS = 3;

  /** The JVM option that makes the JVM exit on any OutOfMemoryError. */
  public static final String JVM_OPTION = "-XX:+ExitOnOutOfMemoryError";

  private static final Logger LOG = LoggerFactory.getLogger(OutOfMemoryExit.class);

  /** Where Vert.x logs what its handlers throw; errors passed on are logged there as before. */
  private static final Logger VERTX_LOG = LoggerFactory.getLogger("io.vertx.core.impl.ContextImpl");

  private static final int MAX_CAUSES = 16;

  private final Thread.UncaughtExceptionHandler previous;
  private final IntConsumer halt;
  private final PrintStream err;

  /**
   * A guard that passes anything but an OutOfMemoryError to {@code previous} (none: printed as the
   * JVM prints it) and on one prints a line to {@code err} and calls {@code halt} with {@link
   * #STATUS}.
   */
  OutOfMemoryExit(Thread.UncaughtExceptionHandler previous, IntConsumer halt, PrintStream err) {
    this.previous = previous;
    this.halt = halt;
    this.err = err;
  }

  /**
   * Makes the guard this process's default uncaught-exception handler, in front of the one before
   * it, and warns when the JVM runs without {@link #JVM_OPTION}. Once per process: a second call
   * returns the guard in place.
   */
  public static synchronized OutOfMemoryExit install() {
    if (Thread.getDefaultUncaughtExceptionHandler() instanceof OutOfMemoryExit installed) {
      return installed;
    }
    OutOfMemoryExit guard =
        new OutOfMemoryExit(
            Thread.getDefaultUncaughtExceptionHandler(), Runtime.getRuntime()::halt, System.err);
    Thread.setDefaultUncaughtExceptionHandler(guard);
    if (!jvmEndsOnOutOfMemory()) {
      LOG.warn(
          "the JVM runs without {}: an OutOfMemoryError ends this process (status {}) only"
              + " if it reaches the end of a thread or a Vert.x handler, not if a library catches it;"
              + " add {} to the java command",
          JVM_OPTION,
          STATUS,
          JVM_OPTION);
    }
    return guard;
  }

  /**
   * Also halts on an OutOfMemoryError thrown by a handler of {@code vertx}, which Vert.x would log
   * and carry on from. Other errors go to the exception handler set before, or to Vert.x's log.
   */
  public void watch(Vertx vertx) {
    Handler<Throwable> before = vertx.exceptionHandler();
    vertx.exceptionHandler(
        error -> {
          OutOfMemoryError outOfMemory = outOfMemoryIn(error);
          if (outOfMemory != null) {
            halt(Thread.currentThread(), outOfMemory);
          } else if (before != null) {
            before.handle(error);
          } else {
            VERTX_LOG.error("Unhandled exception", error);
          }
        });
  }

  @Override
  public void uncaughtException(Thread thread, Throwable error) {
    OutOfMemoryError outOfMemory = outOfMemoryIn(error);
    if (outOfMemory != null) {
      halt(thread, outOfMemory);
    } else if (previous != null) {
      previous.uncaughtException(thread, error);
    } else {
      err.print("Exception in thread \"" + thread.getName() + "\" ");
      error.printStackTrace(err);
    }
  }

  /** Whether the JVM itself exits or crashes on an OutOfMemoryError; false where it cannot say. */
  static boolean jvmEndsOnOutOfMemory() {
    try {
      HotSpotDiagnosticMXBean hotSpot =
          ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      return hotSpot != null
          && (Boolean.parseBoolean(hotSpot.getVMOption("ExitOnOutOfMemoryError").getValue())
              || Boolean.parseBoolean(hotSpot.getVMOption("CrashOnOutOfMemoryError").getValue()));
    } catch (IllegalArgumentException e) {
      return false; // not a HotSpot JVM, or one without these options
    }
  }

  /** {@code error} or one of its causes, if it is an OutOfMemoryError; else null. */
  private static OutOfMemoryError outOfMemoryIn(Throwable error) {
    Throwable each = error;
    for (int depth = 0; each != null && depth < MAX_CAUSES; depth++) {
      if (each instanceof OutOfMemoryError outOfMemory) {
        return outOfMemory;
      }
      each = each.getCause();
    }
    return null;
  }

  /** One line, then the halt; the halt also comes when even that line finds no memory. */
  private void halt(Thread thread, OutOfMemoryError error) {
    try {
      err.println(
          "sudp: "
              + error
              + " in thread \""
              + thread.getName()
              + "\": exiting with status "
              + STATUS
              + " for the supervisor to restart the process");
      err.flush();
    } finally {
      halt.accept(STATUS);
    }
  }
}
