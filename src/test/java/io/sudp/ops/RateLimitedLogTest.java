package io.sudp.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RateLimitedLogTest {
  private static final long INTERVAL = TimeUnit.SECONDS.toNanos(10);

  private final Logger logger = (Logger) LoggerFactory.getLogger("rate-limited-test");
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final AtomicLong now = new AtomicLong();

  RateLimitedLogTest() {
    lines.start();
    logger.addAppender(lines);
  }

  @Test
  void logsEachKindOncePerIntervalAndCountsTheRest() {
    RateLimitedLog log = new RateLimitedLog(logger, INTERVAL, 1, now::get);
    for (int i = 0; i < 1000; i++) {
      log.warn("bad frame from {}", i);
      log.warn("forbidden destination {}", i);
    }
    now.addAndGet(INTERVAL);
    log.warn("bad frame from {}", 1000);
    log.warn("forbidden destination {}", 1000);

    assertThat(lines.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly(
            "bad frame from 0",
            "forbidden destination 0",
            "bad frame from 1000 (999 more like this suppressed)",
            "forbidden destination 1000 (999 more like this suppressed)");
  }

  @Test
  void reportsHowManyWereSuppressedWhenTheIntervalIsOver() {
    RateLimitedLog log = new RateLimitedLog(logger, INTERVAL, 1, now::get);
    log.warn("drop {}", 1);
    log.warn("drop {}", 2);
    log.warn("drop {}", 3);
    now.addAndGet(INTERVAL - 1);
    log.warn("drop {}", 4);
    now.addAndGet(1);
    log.warn("drop {}", 5);
    log.warn("drop {}", 6);

    assertThat(lines.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly("drop 1", "drop 5 (3 more like this suppressed)");
  }

  @Test
  void aBurstOfLinesPassesEachIntervalAtTheLevelAsked() {
    RateLimitedLog log = new RateLimitedLog(logger, INTERVAL, 3, now::get);
    for (int i = 0; i < 10; i++) {
      log.info("client connected: {}", i);
    }
    now.addAndGet(INTERVAL);
    log.info("client connected: {}", 10);

    assertThat(lines.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly(
            "client connected: 0",
            "client connected: 1",
            "client connected: 2",
            "client connected: 10 (7 more like this suppressed)");
    assertThat(lines.list).extracting(line -> line.getLevel().toString()).containsOnly("INFO");
  }
}
