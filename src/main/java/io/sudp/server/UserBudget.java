package io.sudp.server;

import io.sudp.destination.AllowRule;
import io.sudp.ops.Slots;
import io.sudp.security.TokenBucket;
import java.util.List;

/**
 * What one user has left of its {@link UserLimits} while the server runs: its flow slots and its
 * datagram and byte rates. Made by the server from the configured limits when it starts, one per
 * user, and shared by that user's sessions.
 */
final class UserBudget {
  private final List<AllowRule> allow;
  private final Slots flows;
  private final TokenBucket datagrams;
  private final TokenBucket bytes;

  UserBudget(UserLimits limits) {
    this.allow = limits.allow();
    this.flows = new Slots(limits.maxFlows() > 0 ? limits.maxFlows() : Integer.MAX_VALUE);
    this.datagrams =
        limits.maxDatagramsPerSecond() > 0 ? new TokenBucket(limits.maxDatagramsPerSecond()) : null;
    this.bytes =
        limits.maxBytesPerSecond() > 0 ? new TokenBucket(limits.maxBytesPerSecond()) : null;
  }

  /** The allowlist entries that apply to this user only. */
  List<AllowRule> allow() {
    return allow;
  }

  /** Counts a new flow of this user; false (and not counted) when the user has its maximum. */
  boolean tryOpenFlow() {
    return flows.tryTake();
  }

  void flowClosed() {
    flows.release(1);
  }

  /** Takes one datagram of {@code length} bytes from the user's budget; false if over it. */
  boolean admit(int length) {
    return (datagrams == null || datagrams.tryTake(1)) && (bytes == null || bytes.tryTake(length));
  }
}
