package io.sudp.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * What some classes log while a test runs, INFO and up whatever level an earlier test left; the
 * loggers are given back as they were on {@link #close}. Lines are read holding the appender's
 * lock, the one its {@code doAppend} holds while it adds to the list: a test may read while the
 * runtime's threads log.
 */
public final class CapturedLog implements AutoCloseable {
  private final ListAppender<ILoggingEvent> events = new ListAppender<>();
  private final List<Logger> loggers;

  private CapturedLog(List<Logger> loggers) {
    this.loggers = loggers;
    events.start();
    loggers.forEach(
        logger -> {
          logger.setLevel(Level.INFO);
          logger.addAppender(events);
        });
  }

  /** Starts capturing what the loggers of {@code classes} log. */
  /** As {@link #of(Class[])}, for loggers named {@code names} (of classes a test cannot see). */
  public static CapturedLog named(String... names) {
    return new CapturedLog(
        Arrays.stream(names).map(name -> (Logger) LoggerFactory.getLogger(name)).toList());
  }

  public static CapturedLog of(Class<?>... classes) {
    return new CapturedLog(
        Arrays.stream(classes).map(type -> (Logger) LoggerFactory.getLogger(type)).toList());
  }

  /** How many captured lines contain {@code text}. */
  public long count(String text) {
    synchronized (events) {
      return events.list.stream()
          .filter(event -> event.getFormattedMessage().contains(text))
          .count();
    }
  }

  public boolean contains(String text) {
    return count(text) > 0;
  }

  /** The first captured line that contains {@code text}. */
  public Optional<String> first(String text) {
    synchronized (events) {
      return events.list.stream()
          .map(ILoggingEvent::getFormattedMessage)
          .filter(message -> message.contains(text))
          .findFirst();
    }
  }

  @Override
  public void close() {
    loggers.forEach(
        logger -> {
          logger.detachAppender(events);
          logger.setLevel(null);
        });
  }
}
