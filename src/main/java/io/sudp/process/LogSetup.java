package io.sudp.process;

import io.sudp.config.LoggingConfig;
import org.slf4j.LoggerFactory;

/**
 * Applies the {@code logging:} settings at start-up: the level of SUDP's loggers, and a
 * size-rotated file instead of the console when one is named (lines it cannot take are counted in
 * {@link #lostLines}). Debug logging can be switched on and off while running (management port,
 * JMX, the live view) and returns to the configured level.
 *
 * <p>This is done to Logback, the binding of {@code java -jar sudp.jar}. Embedded in an application
 * that binds SLF4J to something else, the application's logging configuration rules: these calls
 * then change nothing, and no Logback class is loaded (Logback is optional for the library).
 */
public final class LogSetup {
  private static final LostLogLines LOST = new LostLogLines(System.err);
  private static final boolean LOGBACK =
      "ch.qos.logback.classic.LoggerContext"
          .equals(LoggerFactory.getILoggerFactory().getClass().getName());

  private LogSetup() {}

  /**
   * Sets levels and, with {@code config.file()}, replaces the console with the rotated file. With
   * {@code warningsToStderr} as well (a run in the foreground), warnings and errors still go to
   * standard error: whoever watches the terminal or the journal learns of trouble without opening
   * the file.
   */
  public static void apply(LoggingConfig config, boolean debug, boolean warningsToStderr) {
    if (LOGBACK) {
      LogbackSetup.apply(config, debug, warningsToStderr, LOST);
    }
  }

  /**
   * Log lines the file could not take since the process started, for the metric. Held here for as
   * long as the process runs: Micrometer holds what it reads from only weakly.
   */
  public static LostLogLines lostLines() {
    return LOST;
  }

  /**
   * Sends what would go to the console to {@code pane} instead, while a live view occupies the
   * terminal; {@link #restoreConsole} undoes it.
   */
  public static void divertConsole(LogPane pane) {
    if (LOGBACK) {
      LogbackSetup.divertConsole(pane);
    }
  }

  /** Puts the console back in place of {@code pane}. */
  public static void restoreConsole(LogPane pane) {
    if (LOGBACK) {
      LogbackSetup.restoreConsole(pane);
    }
  }

  /** A new configured level (a reload), keeping debug on if it was switched on. */
  public static void setLevel(String level) {
    if (LOGBACK) {
      LogbackSetup.setLevel(level);
    }
  }

  /** Debug on: SUDP's loggers at DEBUG (flow events, datagram dumps); off: the configured level. */
  public static void setDebug(boolean on) {
    if (LOGBACK) {
      LogbackSetup.setDebug(on);
    }
  }

  /**
   * Until the returned handle is closed, every logger logs warnings and errors only: for work done
   * in this process that is none of the operator's business when it goes well (the warm-up's own
   * tunnel starting and stopping).
   */
  public static AutoCloseable warningsOnly() {
    return LOGBACK ? LogbackSetup.warningsOnly() : () -> {};
  }

  /** Whether SUDP's loggers log at DEBUG, whichever binding decides it. */
  public static boolean isDebug() {
    return LoggerFactory.getLogger("io.sudp").isDebugEnabled();
  }
}
