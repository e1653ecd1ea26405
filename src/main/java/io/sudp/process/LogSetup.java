package io.sudp.process;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.Duration;
import ch.qos.logback.core.util.FileSize;
import io.sudp.config.LoggingConfig;
import org.slf4j.LoggerFactory;

/**
 * Applies the {@code logging:} settings to Logback at start-up: the level of SUDP's loggers, and a
 * size-rotated file instead of the console when one is named (lines it cannot take are counted in
 * {@link #lostLines}). Debug logging can be switched on and off while running (management port,
 * JMX, the live view) and returns to the configured level.
 */
public final class LogSetup {
  private static final String PATTERN =
      "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{24} - %msg%n";
  private static final String CONSOLE = "CONSOLE";
  private static final LostLogLines LOST = new LostLogLines(System.err);
  private static volatile Level configured = Level.INFO;
  private static Appender<ILoggingEvent> diverted;

  private LogSetup() {}

  /**
   * Sets levels and, with {@code config.file()}, replaces the console with the rotated file. With
   * {@code warningsToStderr} as well (a run in the foreground), warnings and errors still go to
   * standard error: whoever watches the terminal or the journal learns of trouble without opening
   * the file.
   */
  public static void apply(LoggingConfig config, boolean debug, boolean warningsToStderr) {
    configured = Level.toLevel(config.level(), Level.INFO);
    setDebug(debug);
    if (config.file() == null) {
      return;
    }
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(fileAppender(context, config));
    root.detachAppender(CONSOLE);
    if (warningsToStderr) {
      root.addAppender(warningsConsole(context));
    }
  }

  /**
   * Log lines the file could not take since the process started, for the metric. Held here for as
   * long as the process runs: Micrometer holds what it reads from only weakly.
   */
  public static LostLogLines lostLines() {
    return LOST;
  }

  private static Appender<ILoggingEvent> fileAppender(LoggerContext context, LoggingConfig config) {
    String file = config.file().toAbsolutePath().toString();
    LogFileAppender appender = new LogFileAppender(LOST);
    appender.setContext(context);
    appender.setName("FILE");
    appender.setFile(file);
    FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
    rolling.setContext(context);
    rolling.setParent(appender);
    rolling.setFileNamePattern(file + ".%i");
    rolling.setMinIndex(1);
    rolling.setMaxIndex(config.maxFiles());
    rolling.start();
    SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
    trigger.setContext(context);
    trigger.setMaxFileSize(new FileSize(config.maxFileBytes()));
    trigger.setCheckIncrement(Duration.buildBySeconds(1)); // Logback's default: once a minute
    trigger.start();
    appender.setRollingPolicy(rolling);
    appender.setTriggeringPolicy(trigger);
    appender.setEncoder(encoder(context));
    appender.start();
    return appender;
  }

  /** Warnings and errors on standard error, in place of the console; the live view diverts it. */
  private static Appender<ILoggingEvent> warningsConsole(LoggerContext context) {
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName(CONSOLE);
    console.setTarget("System.err");
    ThresholdFilter warnings = new ThresholdFilter();
    warnings.setLevel(Level.WARN.levelStr);
    warnings.start();
    console.addFilter(warnings);
    console.setEncoder(encoder(context));
    console.start();
    return console;
  }

  private static PatternLayoutEncoder encoder(LoggerContext context) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    return encoder;
  }

  /**
   * Sends what would go to the console to {@code pane} instead, while a live view occupies the
   * terminal; {@link #restoreConsole} undoes it.
   */
  public static void divertConsole(LogPane pane) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    pane.setContext(context);
    pane.start();
    root.addAppender(pane);
    diverted = root.getAppender(CONSOLE);
    if (diverted != null) {
      root.detachAppender(diverted);
    }
  }

  /** Puts the console back in place of {@code pane}. */
  public static void restoreConsole(LogPane pane) {
    Logger root =
        ((LoggerContext) LoggerFactory.getILoggerFactory())
            .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    if (diverted != null) {
      root.addAppender(diverted);
      diverted = null;
    }
    root.detachAppender(pane);
    pane.stop();
  }

  /** A new configured level (a reload), keeping debug on if it was switched on. */
  public static void setLevel(String level) {
    boolean debug = isDebug() && configured.isGreaterOrEqual(Level.INFO);
    configured = Level.toLevel(level, Level.INFO);
    setDebug(debug);
  }

  /** Debug on: SUDP's loggers at DEBUG (flow events, datagram dumps); off: the configured level. */
  public static void setDebug(boolean on) {
    Level level = on && configured.isGreaterOrEqual(Level.DEBUG) ? Level.DEBUG : configured;
    sudpLogger().setLevel(level);
  }

  public static boolean isDebug() {
    return sudpLogger().isDebugEnabled();
  }

  private static Logger sudpLogger() {
    return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("io.sudp");
  }
}
