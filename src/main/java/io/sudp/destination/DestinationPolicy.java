package io.sudp.destination;

import java.net.InetAddress;
import java.util.List;

/**
 * Which destinations the server may send to: deny by default, allow what one rule of the allowlist
 * permits, always judged on the resolved address. Loopback, private, link-local and other special
 * addresses are reachable only through a rule that names their range (or a block inside it)
 * explicitly: neither a wide block like {@code 0.0.0.0/0} nor a host-name rule reaches them. So are
 * the addresses of the server's own interfaces, each only through a rule naming it. An IPv6 address
 * that carries an IPv4 address (NAT64, 6to4, Teredo, ...) is judged as that IPv4 address, since
 * that is where it leads; a Teredo address carries two, and both must pass.
 */
public final class DestinationPolicy {
  private final List<AllowRule> rules;
  private final OwnAddresses own;

  public DestinationPolicy(List<AllowRule> rules, OwnAddresses own) {
    this.rules = List.copyOf(rules);
    this.own = own;
  }

  /**
   * False when no rule could permit {@code host}, whatever it resolves to: the name is refused
   * before anything is spent resolving it.
   */
  public boolean mayPermitName(String host, int port) {
    for (AllowRule rule : rules) {
      if (rule.mayPermitName(host, port)) {
        return true;
      }
    }
    return false;
  }

  public boolean permits(String requestedHost, InetAddress resolved, int port) {
    for (InetAddress address : EmbeddedIpv4.judgedAs(resolved)) {
      if (!permitsAddress(requestedHost, address, port)) {
        return false;
      }
    }
    return true;
  }

  private boolean permitsAddress(String requestedHost, InetAddress address, int port) {
    SpecialRanges.Block special = SpecialRanges.of(address);
    if (special == null) {
      special = own.blockOf(address);
    }
    for (AllowRule rule : rules) {
      if ((special == null || rule.isWithin(special))
          && rule.permits(requestedHost, address, port)) {
        return true;
      }
    }
    return false;
  }
}
