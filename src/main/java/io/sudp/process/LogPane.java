package io.sudp.process;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The last log lines, kept in memory for a live view to draw under its table instead of letting
 * them scroll through it. Bounded: old lines fall out.
 */
public final class LogPane extends AppenderBase<ILoggingEvent> {
  private static final int KEEP = 500;

  private final Deque<String> lines = new ArrayDeque<>();
  private final PatternLayout layout = new PatternLayout();

  public LogPane() {
    setName("LIVE-VIEW");
  }

  @Override
  public void start() {
    layout.setContext(getContext());
    layout.setPattern("%d{HH:mm:ss} %-5level %logger{20} - %msg");
    layout.start();
    super.start();
  }

  @Override
  protected void append(ILoggingEvent event) {
    String text = layout.doLayout(event);
    synchronized (lines) {
      for (String line : text.split("\n")) {
        lines.addLast(line.replace('\t', ' '));
        if (lines.size() > KEEP) {
          lines.removeFirst();
        }
      }
    }
  }

  /** The newest {@code count} lines, oldest first. */
  public List<String> last(int count) {
    synchronized (lines) {
      List<String> all = new ArrayList<>(lines);
      return all.subList(Math.max(0, all.size() - count), all.size());
    }
  }
}
