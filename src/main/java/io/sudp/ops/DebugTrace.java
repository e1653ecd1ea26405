package io.sudp.ops;

import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What debug logging adds: a line per flow opened or closed ({@code io.sudp.flows}), and hex dumps
 * of datagrams ({@code io.sudp.dump}) cut to their first {@value #DUMP_BYTES} bytes and to {@value
 * #DUMPS_PER_SECOND} a second, with the number left out, so that debugging a busy tunnel cannot
 * flood the log. With debug off it costs one level check per datagram.
 */
public final class DebugTrace {
  static final int DUMP_BYTES = 64;
  static final int DUMPS_PER_SECOND = 20;
  private static final Logger FLOWS = LoggerFactory.getLogger("io.sudp.flows");
  private static final Logger DUMPS = LoggerFactory.getLogger("io.sudp.dump");
  private static final HexFormat HEX = HexFormat.ofDelimiter(" ");
  private static long windowStart;
  private static int dumpedInWindow;
  private static long skipped;

  private DebugTrace() {}

  /** A flow opened or closed: {@code event} is an SLF4J template. */
  public static void flow(String event, Object... arguments) {
    if (FLOWS.isDebugEnabled()) {
      FLOWS.debug(event, arguments);
    }
  }

  /**
   * A datagram of {@code owner} (a tunnel or flow, by its toString) going {@code direction}
   * ("from", "to") a {@code party}; logged as "tunnel dns: from 127.0.0.1:5000: 29 bytes: 12 ...".
   */
  public static void datagram(Object owner, String direction, Object party, byte[] payload) {
    if (!DUMPS.isDebugEnabled()) {
      return;
    }
    long left = admit(System.nanoTime());
    if (left < 0) {
      return;
    }
    int shown = Math.min(payload.length, DUMP_BYTES);
    DUMPS.debug(
        "{}: {} {}: {} bytes: {}{}{}",
        owner,
        direction,
        party,
        payload.length,
        HEX.formatHex(payload, 0, shown),
        shown < payload.length ? " ..." : "",
        left > 0 ? " (" + left + " datagrams not dumped before this one)" : "");
  }

  /** -1 if this second's dumps are used up, else how many were skipped since the last dump. */
  private static synchronized long admit(long now) {
    if (now - windowStart >= 1_000_000_000L) {
      windowStart = now;
      dumpedInWindow = 0;
    }
    if (dumpedInWindow >= DUMPS_PER_SECOND) {
      skipped++;
      return -1;
    }
    dumpedInWindow++;
    long left = skipped;
    skipped = 0;
    return left;
  }
}
