package io.sudp.server;

import io.sudp.ops.Slots;
import io.sudp.security.TokenBucket;
import java.util.List;

/**
 * What one user may do: destinations allowed to this user on top of the server's allowlist, how
 * many connections and flows at once, and how many datagrams and bytes per second (both directions
 * together). Zero means no limit. One instance per user, shared by its connections.
 */
public final class UserLimits {
  private final List<AllowRule> allow;
  private final int maxConnections;
  private final int maxFlows;
  private final TokenBucket datagrams;
  private final TokenBucket bytes;
  private final List<Long> rates;
  private final Slots flows;

  /** No limits and no extra destinations: users the configuration does not name. */
  public static UserLimits none() {
    return new UserLimits(List.of(), 0, 0, 0, 0);
  }

  public UserLimits(
      List<AllowRule> allow,
      int maxConnections,
      int maxFlows,
      long maxDatagramsPerSecond,
      long maxBytesPerSecond) {
    this.allow = List.copyOf(allow);
    this.maxConnections = maxConnections;
    this.maxFlows = maxFlows;
    this.flows = new Slots(maxFlows > 0 ? maxFlows : Integer.MAX_VALUE);
    this.datagrams = maxDatagramsPerSecond > 0 ? new TokenBucket(maxDatagramsPerSecond) : null;
    this.bytes = maxBytesPerSecond > 0 ? new TokenBucket(maxBytesPerSecond) : null;
    this.rates = List.of(maxDatagramsPerSecond, maxBytesPerSecond);
  }

  /** The allowlist entries that apply to this user only. */
  public List<AllowRule> allow() {
    return allow;
  }

  public int maxConnections() {
    return maxConnections;
  }

  /** Counts a new flow of this user; false (and not counted) when the user has its maximum. */
  boolean tryOpenFlow() {
    return flows.tryTake();
  }

  void flowClosed() {
    flows.release(1);
  }

  /** Takes one datagram of {@code length} bytes from the user's budget; false if over it. */
  public boolean admit(int length) {
    return (datagrams == null || datagrams.tryTake(1)) && (bytes == null || bytes.tryTake(length));
  }

  /**
   * Limits are equal when configured the same, whatever they have used up: a reload compares
   * configurations with it.
   */
  @Override
  public boolean equals(Object other) {
    return other instanceof UserLimits limits
        && limits.allow.equals(allow)
        && limits.maxConnections == maxConnections
        && limits.maxFlows == maxFlows
        && limits.rates.equals(rates);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(allow, maxConnections, maxFlows, rates);
  }
}
