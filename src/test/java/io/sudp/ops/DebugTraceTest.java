package io.sudp.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Datagram dumps are cut to their first bytes and to a number a second. */
class DebugTraceTest {
  private final Logger dumps = (Logger) LoggerFactory.getLogger("io.sudp.dump");
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

  @BeforeEach
  void captureDumps() {
    lines.start();
    dumps.addAppender(lines);
    dumps.setLevel(Level.DEBUG);
  }

  @AfterEach
  void restore() {
    dumps.detachAppender(lines);
    dumps.setLevel(null);
  }

  @Test
  void dumpsAreCutShortAndBoundedPerSecond() {
    byte[] big = new byte[1000];
    long start = System.nanoTime();
    for (int i = 0; i < 100; i++) {
      DebugTrace.datagram("tunnel t", "from", "127.0.0.1:1", big);
    }
    // The loop spans two one-second windows, or more where a loaded machine paused it.
    long windows = 2 + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);

    List<String> dumped = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    assertThat(dumped)
        .hasSizeBetween(1, (int) (DebugTrace.DUMPS_PER_SECOND * windows))
        .allSatisfy(
            line ->
                assertThat(line)
                    .contains("1000 bytes: 00 00")
                    .contains(" ...")
                    .hasSizeLessThan(400));
  }
}
