package io.sudp.server;

import io.sudp.ops.SequenceGaps;
import io.sudp.transport.PeerConnection;

/**
 * The sequence numbers of one flow's DATA frames from the client. Datagrams can only have gone
 * missing where the client moved to a newer connection (they were in flight in the old one); within
 * one connection TCP loses nothing, so a jump there is implausible.
 */
final class ClientSequence {
  private final SequenceGaps gaps;
  private long newestConnection;

  ClientSequence(int first, PeerConnection openedBy) {
    this.gaps = new SequenceGaps(first);
    this.newestConnection = openedBy.id();
  }

  /**
   * Reads a DATA frame's sequence number; no more than {@code allowance} datagrams count as lost.
   * Returns what it showed, as {@link SequenceGaps#observe} says.
   */
  long observe(int seq, PeerConnection via, long allowance) {
    long maxGap = 0;
    if (via.id() > newestConnection) {
      newestConnection = via.id();
      maxGap = Long.MAX_VALUE;
    }
    return gaps.observe(seq, maxGap, allowance);
  }
}
