package io.sudp.transport;

import io.sudp.ops.ProtocolViolation;
import io.sudp.ops.RateLimitedLog;
import io.sudp.ops.Refusal;
import io.sudp.ops.TrafficCounters;
import io.sudp.protocol.CloseCodes;
import org.slf4j.LoggerFactory;

/**
 * What happens when a peer breaks the protocol, or finds no room: the violation is counted under
 * its cause, logged at a bounded rate (each cause on its own, so one flood hides no other), and the
 * connection is closed with the cause's close code. Only a connection's first violation counts:
 * what it sends after that is not read on.
 */
public final class Violations {
  private final TrafficCounters counters;
  private final RateLimitedLog log = new RateLimitedLog(LoggerFactory.getLogger(Violations.class));

  public Violations(TrafficCounters counters) {
    this.counters = counters;
  }

  void report(PeerConnection peer, ProtocolViolation violation, String detail) {
    counters.violated(violation);
    log.warn("closing {}: " + violation.label() + ": {}", peer, detail);
    peer.close(violation.closeCode(), violation.label().replace('_', ' '));
  }

  /** No rule broken, but no room: the peer may try again later (1013), counted as a refusal. */
  void outOfMemory(PeerConnection peer) {
    counters.refused(Refusal.MEMORY_BUDGET);
    log.warn("closing {}: no memory left for messages in pieces (queue.total-bytes)", peer);
    peer.close(CloseCodes.TRY_AGAIN_LATER, "server busy");
  }
}
