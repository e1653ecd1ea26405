package io.sudp.server;

import java.util.ArrayList;
import java.util.List;

/**
 * UDP ports a reverse tunnel may listen on: single ports and ranges, as written in {@code
 * reverse-ports} ({@code "5353"}, {@code "51820-51830"}). A value, compared whole on reload.
 */
public record PortRanges(List<Range> ranges) {
  /** Ports {@code first} to {@code last}, both included. */
  public record Range(int first, int last) {
    /** Parses {@code PORT} or {@code FIRST-LAST}, ports 1..65535, first not above last. */
    public static Range parse(String text) {
      int dash = text.indexOf('-');
      int first = port(dash < 0 ? text : text.substring(0, dash), text);
      int last = dash < 0 ? first : port(text.substring(dash + 1), text);
      if (last < first) {
        throw new IllegalArgumentException("'" + text + "': the range ends before it starts");
      }
      return new Range(first, last);
    }

    private static int port(String part, String text) {
      try {
        int port = Integer.parseInt(part.trim());
        if (port >= 1 && port <= 65_535) {
          return port;
        }
      } catch (NumberFormatException e) {
        // said below
      }
      throw new IllegalArgumentException(
          "'" + text + "' is not a port or a range of ports (1..65535, e.g. 5353 or 51820-51830)");
    }

    @Override
    public String toString() {
      return first == last ? Integer.toString(first) : first + "-" + last;
    }
  }

  /** No port at all: reverse tunnels denied. */
  public static final PortRanges NONE = new PortRanges(List.of());

  public PortRanges {
    ranges = List.copyOf(ranges);
  }

  /** Parses every entry; the first that is not a port or range throws, naming it. */
  public static PortRanges parse(List<String> texts) {
    List<Range> ranges = new ArrayList<>(texts.size());
    for (String text : texts) {
      ranges.add(Range.parse(text));
    }
    return new PortRanges(ranges);
  }

  public boolean contains(int port) {
    for (Range range : ranges) {
      if (port >= range.first && port <= range.last) {
        return true;
      }
    }
    return false;
  }

  public boolean isEmpty() {
    return ranges.isEmpty();
  }

  @Override
  public String toString() {
    return ranges.toString();
  }
}
