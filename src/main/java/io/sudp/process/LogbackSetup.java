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
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * {@link LogSetup}'s work on Logback, in a class of its own: it is loaded only once SLF4J is known
 * to be bound to Logback, so that an application with another binding never meets a Logback class.
 */
final class LogbackSetup {
  private static final String PATTERN =
      "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{24} - %msg%n";
  private static final String CONSOLE = "CONSOLE";
  private static volatile Level configured = Level.INFO;
  private static Appender<ILoggingEvent> diverted;

  private LogbackSetup() {}

  /** See {@link LogSetup#apply}; lines the file cannot take are counted in {@code lost}. */
  static void apply(
      LoggingConfig config, boolean debug, boolean warningsToStderr, LostLogLines lost) {
    configured = Level.toLevel(config.level(), Level.INFO);
    setDebug(debug);
    if (config.file() == null) {
      return;
    }
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(fileAppender(context, config, lost));
    root.detachAppender(CONSOLE);
    if (warningsToStderr) {
      root.addAppender(warningsConsole(context));
    }
  }

  private static Appender<ILoggingEvent> fileAppender(
      LoggerContext context, LoggingConfig config, LostLogLines lost) {
    String file = config.file().toAbsolutePath().toString();
    LogFileAppender appender = new LogFileAppender(lost);
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

  /** See {@link LogSetup#divertConsole}. */
  static void divertConsole(LogPane pane) {
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

  /** See {@link LogSetup#restoreConsole}. */
  static void restoreConsole(LogPane pane) {
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

  /** See {@link LogSetup#warningsOnly}. */
  static AutoCloseable warningsOnly() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    List<Logger> raised = new ArrayList<>();
    List<Level> before = new ArrayList<>();
    for (Logger logger : context.getLoggerList()) {
      Level level = logger.getLevel();
      if (level != null && !level.isGreaterOrEqual(Level.WARN)) {
        raised.add(logger);
        before.add(level);
        logger.setLevel(Level.WARN);
      }
    }
    return () -> {
      for (int i = 0; i < raised.size(); i++) {
        raised.get(i).setLevel(before.get(i));
      }
    };
  }

  /** See {@link LogSetup#setLevel}. */
  static void setLevel(String level) {
    boolean debug = isDebug() && configured.isGreaterOrEqual(Level.INFO);
    configured = Level.toLevel(level, Level.INFO);
    setDebug(debug);
  }

  /** See {@link LogSetup#setDebug}. */
  static void setDebug(boolean on) {
    Level level = on && configured.isGreaterOrEqual(Level.DEBUG) ? Level.DEBUG : configured;
    sudpLogger().setLevel(level);
  }

  private static boolean isDebug() {
    return sudpLogger().isDebugEnabled();
  }

  private static Logger sudpLogger() {
    return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("io.sudp");
  }
}
