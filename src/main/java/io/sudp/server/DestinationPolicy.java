package io.sudp.server;

import java.net.InetAddress;
import java.util.List;

/**
 * Which destinations the server may send to: deny by default, allow what one rule of the allowlist
 * permits. Address rules are checked on the resolved address, so a name that resolves into a
 * forbidden block is forbidden; a host-name rule permits that name wherever it resolves.
 */
public final class DestinationPolicy {
  private final List<AllowRule> rules;

  public DestinationPolicy(List<AllowRule> rules) {
    this.rules = List.copyOf(rules);
  }

  public boolean permits(String requestedHost, InetAddress address, int port) {
    for (AllowRule rule : rules) {
      if (rule.permits(requestedHost, address, port)) {
        return true;
      }
    }
    return false;
  }
}
