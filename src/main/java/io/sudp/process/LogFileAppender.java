package io.sudp.process;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.RollingFileAppender;
import java.nio.file.Path;

/**
 * Logback's size-rotated file appender, writing through a {@link LogFileStream}: a line the file
 * cannot take is counted and said instead of vanishing, and never left in part. Always appends.
 */
final class LogFileAppender extends RollingFileAppender<ILoggingEvent> {
  private final LostLogLines lost;

  LogFileAppender(LostLogLines lost) {
    this.lost = lost;
  }

  /** Also called after each rotation. Never fails: a file that cannot be opened loses lines. */
  @Override
  public void openFile(String name) {
    streamWriteLock.lock();
    try {
      setOutputStream(new LogFileStream(Path.of(name), lost));
    } finally {
      streamWriteLock.unlock();
    }
  }
}
