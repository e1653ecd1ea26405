package io.sudp.ops;

/**
 * Tells what went missing between the two ends of one flow in one direction, from the sequence
 * numbers of the DATA frames that arrive: a jump forward is that many datagrams lost, a number from
 * the past is one that arrived late (after a jump counted it lost). A peer's numbers are not taken
 * on trust: the caller says how far a jump may go and how much of it may count as lost, a jump
 * further than that is implausible and changes nothing, and a number from the past that no counted
 * jump explains counts as nothing, so a hostile peer cannot make the loss counters say what it
 * likes. Used on one thread.
 */
public final class SequenceGaps {
  /**
   * More datagrams than one WebSocket connection can have had in flight when it broke (its TCP
   * buffers hold a few MiB; a DATA frame takes at least 11 bytes, most far more).
   */
  public static final long MAX_IN_FLIGHT = 1 << 18;

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
   * expected, or one from the past that nothing explains), at most {@code maxCounted} of a jump;
   * {@link #LATE}; or {@link #IMPLAUSIBLE} for a jump over {@code maxGap}.
   */
  public long observe(int seq, long maxGap, long maxCounted) {
    long gap = seq - expected; // modular: numbers wrap at 2^32
    if (gap >= 0) {
      if (gap > maxGap) {
        return IMPLAUSIBLE;
      }
      expected = seq + 1;
      long counted = Math.min(gap, maxCounted);
      missing += counted;
      return counted;
    }
    if (missing == 0) {
      return 0;
    }
    missing--;
    return LATE;
  }
}
