package io.sudp.destination;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.util.Locale;

/**
 * One allowlist entry: an address block (CIDR; a single address is a /32 or /128) or a host name,
 * and an inclusive port range. Written {@code 10.0.0.0/8:53}, {@code [::1]:7000-7100}, {@code
 * dns.example:53}, or with {@code *} for any port.
 */
public final class AllowRule {
  private final String text;
  private final byte[] network;
  private final int prefix;
  private final String hostName;
  private final int fromPort;
  private final int toPort;

  private AllowRule(
      String text, byte[] network, int prefix, String hostName, int fromPort, int toPort) {
    this.text = text;
    this.network = network;
    this.prefix = prefix;
    this.hostName = hostName;
    this.fromPort = fromPort;
    this.toPort = toPort;
  }

  /** Parses a rule; the message of the exception says what is wrong and what is expected. */
  public static AllowRule parse(String text) {
    String rule = text.trim();
    int colon = rule.lastIndexOf(':');
    if (colon <= 0 || colon == rule.length() - 1) {
      throw new IllegalArgumentException(
          "'" + text + "' is not HOST_OR_CIDR:PORTS (e.g. 10.0.0.0/8:53 or [::1]:7000-7100)");
    }
    String target = rule.substring(0, colon);
    int[] ports = parsePorts(rule.substring(colon + 1), text);
    if (target.startsWith("[") && target.endsWith("]")) {
      target = target.substring(1, target.length() - 1);
    } else if (target.indexOf(':') >= 0) {
      throw new IllegalArgumentException("'" + text + "': write IPv6 blocks as [addr/len]:PORTS");
    }
    int slash = target.indexOf('/');
    String address = slash < 0 ? target : target.substring(0, slash);
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
    if (bytes == null) {
      if (slash >= 0 || !isHostName(target)) {
        throw new IllegalArgumentException(
            "'"
                + text
                + "': '"
                + target
                + "' is neither an IP address, a CIDR block nor a host name");
      }
      return new AllowRule(text, null, 0, target.toLowerCase(Locale.ROOT), ports[0], ports[1]);
    }
    int prefix = bytes.length * 8;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(target.substring(slash + 1));
      } catch (NumberFormatException e) {
        prefix = -1;
      }
      if (prefix < 0 || prefix > bytes.length * 8) {
        throw new IllegalArgumentException(
            "'" + text + "': prefix length must be 0.." + bytes.length * 8);
      }
    }
    return new AllowRule(text, bytes, prefix, null, ports[0], ports[1]);
  }

  private static int[] parsePorts(String ports, String text) {
    if (ports.equals("*")) {
      return new int[] {1, 65_535};
    }
    int dash = ports.indexOf('-');
    try {
      int from = Integer.parseInt(dash < 0 ? ports : ports.substring(0, dash));
      int to = dash < 0 ? from : Integer.parseInt(ports.substring(dash + 1));
      if (from >= 1 && to <= 65_535 && from <= to) {
        return new int[] {from, to};
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("'" + text + "': ports must be N, N-M or * within 1..65535");
  }

  private static boolean isHostName(String host) {
    return host.matches("[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9])?") && host.length() <= 253;
  }

  /** True if this rule lets {@code requestedHost} (as the client named it) at {@code address}. */
  boolean permits(String requestedHost, InetAddress address, int port) {
    if (port < fromPort || port > toPort) {
      return false;
    }
    if (hostName != null) {
      return hostName.equalsIgnoreCase(requestedHost);
    }
    return SpecialRanges.matches(network, prefix, address.getAddress());
  }

  /**
   * True if this rule may permit {@code host} once resolved: a host-name rule only that name, an
   * address rule any name (the resolved address decides).
   */
  boolean mayPermitName(String host, int port) {
    return port >= fromPort
        && port <= toPort
        && (hostName == null || hostName.equalsIgnoreCase(host));
  }

  /** True if this rule's whole block lies inside {@code block}: it names that range explicitly. */
  boolean isWithin(SpecialRanges.Block block) {
    return network != null
        && prefix >= block.prefix()
        && SpecialRanges.matches(block.network(), block.prefix(), network);
  }

  @Override
  public String toString() {
    return text;
  }

  /** Rules are equal when written the same: a reload compares configurations with it. */
  @Override
  public boolean equals(Object other) {
    return other instanceof AllowRule rule && rule.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }
}
