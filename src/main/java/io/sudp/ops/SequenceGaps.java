package io.sudp.ops;

/**
 * Tells what went missing between the two ends of one flow in one direction, from the sequence
 * numbers of the DATA frames that arrive: a jump forward is that many datagrams lost, a number
 * from the past is one that arrived late (after a jump counted it lost). A peer's numbers are not
 * taken on trust: a jump larger than the caller allows, or a number from the past that no jump
 * explains, is implausible and changes nothing, so a hostile peer cannot make the loss counters
 * say what it likes. Used on one thread.
 */
public final class SequenceGaps {
  /**
   * More datagrams than one WebSocket connection can have had in flight when it broke (its TCP
   * buffers hold a few MiB; a DATA frame takes at least 11 bytes): a jump beyond this is no loss.
   */
  public static final long MAX_IN_FLIGHT = 1 << 20;

  /** {@link #observe}'s answer for a datagram that a jump had counted lost. */
  public static final long LATE = -1;

  /** {@link #observe}'s answer for a number that cannot be right. */
  public static final long IMPLAUSIBLE = -2;

  private int expected;
  private long missing;

  public SequenceGaps(int first) {
    this.expected = first;
  }

  /** The sender starts numbering afresh from {@code first} (a new server-side session). */
  public void restart(int first) {
    expected = first;
    missing = 0;
  }

  /**
   * Takes the number of the next DATA frame: how many datagrams it shows lost (0: it is the one
   * expected), {@link #LATE}, or {@link #IMPLAUSIBLE} for a jump over {@code maxGap} or a number
   * from the past that was never counted lost.
   */
  public long observe(int seq, long maxGap) {
    long gap = seq - expected; // modular: numbers wrap at 2^32
    if (gap >= 0) {
      if (gap > maxGap) {
        return IMPLAUSIBLE;
      }
      expected = seq + 1;
      missing += gap;
      return gap;
    }
    if (missing == 0) {
      return IMPLAUSIBLE;
    }
    missing--;
    return LATE;
  }
}
