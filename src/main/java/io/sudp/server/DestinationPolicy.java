package io.sudp.server;

import java.net.InetAddress;
import java.util.List;

/**
 * Which destinations the server may send to: deny by default, allow what one rule of the allowlist
 * permits, always judged on the resolved address. Loopback, private, link-local and other special
 * addresses are reachable only through a rule that names their range (or a block inside it)
 * explicitly: neither a wide block like {@code 0.0.0.0/0} nor a host-name rule reaches them.
 */
public final class DestinationPolicy {
  private final List<AllowRule> rules;

  public DestinationPolicy(List<AllowRule> rules) {
    this.rules = List.copyOf(rules);
  }

  public boolean permits(String requestedHost, InetAddress resolved, int port) {
    InetAddress address = SpecialRanges.unmapped(resolved);
    SpecialRanges.Block special = SpecialRanges.of(address);
    for (AllowRule rule : rules) {
      if ((special == null || rule.isWithin(special)) && rule.permits(requestedHost, address, port)) {
        return true;
      }
    }
    return false;
  }
}
