package io.sudp.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RateLimitedLogTest {
  private final Logger logger = (Logger) LoggerFactory.getLogger("rate-limited-test");
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

  RateLimitedLogTest() {
    lines.start();
    logger.addAppender(lines);
  }

  @Test
  void logsEachKindOncePerIntervalAndCountsTheRest() {
    RateLimitedLog log = new RateLimitedLog(logger, TimeUnit.HOURS.toNanos(1));
    for (int i = 0; i < 1000; i++) {
      log.warn("bad frame from {}", i);
      log.warn("forbidden destination {}", i);
    }

    assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly("bad frame from 0", "forbidden destination 0");
  }

  @Test
  void reportsHowManyWereSuppressedWhenTheIntervalIsOver() {
    RateLimitedLog log = new RateLimitedLog(logger, 0);
    log.warn("drop {}", 1);
    log.warn("drop {}", 2);

    assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly("drop 1", "drop 2");
  }
}
