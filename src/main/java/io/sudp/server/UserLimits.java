package io.sudp.server;

import io.sudp.destination.AllowRule;
import java.util.List;

/**
 * What the configuration lets one user do: destinations allowed to this user on top of the server's
 * allowlist, how many connections and flows at once, and how many datagrams and bytes per second
 * (both directions together). Zero means no limit. A value: what the user has used up lives in the
 * {@link UserBudget} the server makes from it.
 */
public record UserLimits(
    List<AllowRule> allow,
    int maxConnections,
    int maxFlows,
    long maxDatagramsPerSecond,
    long maxBytesPerSecond) {
  /** No limits and no extra destinations: users the configuration does not name. */
  public static final UserLimits NONE = new UserLimits(List.of(), 0, 0, 0, 0);

  public UserLimits {
    allow = List.copyOf(allow);
  }
}
