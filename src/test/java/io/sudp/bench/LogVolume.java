package io.sudp.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;

/**
 * Counts what this JVM logs instead of printing it: events, lines (stack traces included) and bytes
 * as a file appender would write them, formatted with a file appender's pattern, so the cost of
 * formatting is paid but the benchmark's output stays readable. The root logger's own appenders are
 * given back on {@link #close}.
 */
final class LogVolume extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private final Logger root;
  private final List<Appender<ILoggingEvent>> replaced = new ArrayList<>();
  private final PatternLayout layout = new PatternLayout();
  private final AtomicLong events = new AtomicLong();
  private final AtomicLong lines = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private volatile String first;

  LogVolume() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    layout.setContext(context);
    layout.setPattern("%d{ISO8601} %-5level [%thread] %logger{36} - %msg%n%ex");
    layout.start();
    setContext(context);
    start();
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      replaced.add(it.next());
    }
    replaced.forEach(root::detachAppender);
    root.addAppender(this);
  }

  @Override
  protected void append(ILoggingEvent event) {
    String text = layout.doLayout(event);
    boolean error = event.getLevel().isGreaterOrEqual(Level.ERROR);
    String earlier = first;
    if (earlier == null || error && !earlier.startsWith(Level.ERROR.toString())) {
      String line =
          event.getLevel() + " " + event.getLoggerName() + ": " + event.getFormattedMessage();
      first = line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
    events.incrementAndGet();
    if (error) {
      errors.incrementAndGet();
    }
    lines.addAndGet(text.lines().count());
    bytes.addAndGet(text.length());
  }

  /** Counts so far: events, lines, bytes, ERROR events; {@link #first} starts again. */
  long[] counts() {
    first = null;
    return new long[] {events.get(), lines.get(), bytes.get(), errors.get()};
  }

  /**
   * The first ERROR event counted since {@link #counts}, or else the first event, shortened to its
   * level, logger and message; null if none.
   */
  String first() {
    return first;
  }

  @Override
  public void close() {
    root.detachAppender(this);
    replaced.forEach(root::addAppender);
    stop();
  }
}
