package io.sudp.transport;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The proxies whose word on a client's address the server takes: addresses and CIDR blocks, IPv4 or
 * IPv6. A value, compared by how it was written (a reload compares configurations).
 */
public final class TrustedProxies {
  /** None: every connection is its own client. */
  public static final TrustedProxies NONE = new TrustedProxies(List.of(), List.of());

  private final List<String> written;
  private final List<IpSubnetFilterRule> blocks;

  private TrustedProxies(List<String> written, List<IpSubnetFilterRule> blocks) {
    this.written = List.copyOf(written);
    this.blocks = List.copyOf(blocks);
  }

  /**
   * Parses entries such as {@code 127.0.0.1}, {@code 10.0.0.0/8} or {@code fd00::/8}; the
   * exception's message says which entry is wrong and why.
   */
  public static TrustedProxies parse(List<String> entries) {
    List<IpSubnetFilterRule> blocks = new ArrayList<>();
    for (String entry : entries) {
      blocks.add(block(entry.trim()));
    }
    return new TrustedProxies(entries, blocks);
  }

  private static IpSubnetFilterRule block(String entry) {
    int slash = entry.indexOf('/');
    InetAddress network = ClientAddress.ipLiteral(slash < 0 ? entry : entry.substring(0, slash));
    if (network == null) {
      throw new IllegalArgumentException(
          "'" + entry + "' is not an IP address or a CIDR block (e.g. 10.0.0.0/8)");
    }
    int bits = network.getAddress().length * 8;
    int prefix = bits;
    if (slash >= 0) {
      String length = entry.substring(slash + 1);
      prefix = length.matches("[0-9]{1,3}") ? Integer.parseInt(length) : -1;
      if (prefix < 0 || prefix > bits) {
        throw new IllegalArgumentException("'" + entry + "': prefix length must be 0.." + bits);
      }
    }
    return new IpSubnetFilterRule(network, prefix, IpFilterRuleType.ACCEPT);
  }

  public boolean isEmpty() {
    return blocks.isEmpty();
  }

  /** Whether {@code address} is one of the trusted proxies. */
  public boolean trusts(InetAddress address) {
    if (blocks.isEmpty()) {
      return false;
    }
    InetSocketAddress candidate = new InetSocketAddress(address, 0);
    for (IpSubnetFilterRule block : blocks) {
      if (block.matches(candidate)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TrustedProxies proxies && proxies.written.equals(written);
  }

  @Override
  public int hashCode() {
    return written.hashCode();
  }

  @Override
  public String toString() {
    return written.toString();
  }
}
