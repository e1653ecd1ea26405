package io.sudp.ops;

/**
 * Counts what went missing between the two ends of one flow in one direction, from the sequence
 * numbers of the DATA frames that arrive: a jump forward is that many datagrams lost, a number
 * from the past is one arrived out of order (and not lost after all). Used on one thread.
 */
public final class SequenceGaps {
  private int expected;

  public SequenceGaps(int first) {
    this.expected = first;
  }

  /** The sender starts numbering afresh from {@code first} (a new server-side session). */
  public void restart(int first) {
    expected = first;
  }

  public void observe(int seq, TrafficCounters counters) {
    int gap = seq - expected; // modular: numbers wrap at 2^32
    if (gap >= 0) {
      if (gap > 0) {
        counters.countLost(gap);
      }
      expected = seq + 1;
    } else {
      counters.countReordered();
    }
  }
}
