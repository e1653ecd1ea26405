package io.sudp.config;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The servers a client reaches directly although the environment names a proxy: the entries of
 * {@code NO_PROXY}, separated by commas or spaces — {@code *} (every host), a host name (that host
 * and its subdomains; a leading {@code .} or {@code *.} means the same), an IP address, or an
 * address block ({@code 10.0.0.0/8}) — and, when {@code loopback}, this machine itself ({@code
 * localhost}, 127.0.0.0/8, ::1), which no proxy outside it could reach. Entries it cannot read
 * (with a port, say) match nothing, as with curl.
 */
record NoProxy(List<String> entries, boolean loopback) {
  /** No exception: every server goes through the proxy. */
  static final NoProxy NONE = new NoProxy(List.of(), false);

  NoProxy {
    entries = List.copyOf(entries);
  }

  /** The entries of a {@code NO_PROXY} value (null: none), with loopback excepted too. */
  static NoProxy parse(String value) {
    List<String> entries =
        value == null
            ? List.of()
            : Arrays.stream(value.split("[,\\s]+"))
                .map(entry -> entry.toLowerCase(Locale.ROOT))
                .filter(entry -> !entry.isEmpty())
                .toList();
    return new NoProxy(entries, true);
  }

  /**
   * Whether a server at {@code host} (a name or an IP literal, IPv6 without brackets) is excepted.
   */
  boolean matches(String host) {
    String name = host.toLowerCase(Locale.ROOT);
    if (loopback && HostPort.isLoopback(name)) {
      return true;
    }
    return entries.stream().anyMatch(entry -> matches(entry, name));
  }

  private static boolean matches(String entry, String host) {
    if (entry.equals("*")) {
      return true;
    }
    InetAddress address = NetUtil.createInetAddressFromIpAddressString(host);
    String bare =
        entry.startsWith("[") && entry.endsWith("]")
            ? entry.substring(1, entry.length() - 1)
            : entry;
    if (bare.indexOf('/') >= 0) {
      return address != null && inBlock(bare, address);
    }
    InetAddress entryAddress = NetUtil.createInetAddressFromIpAddressString(bare);
    if (entryAddress != null) {
      return entryAddress.equals(address);
    }
    String domain = bare.replaceFirst("^\\*?\\.", "");
    return host.equals(domain) || host.endsWith("." + domain);
  }

  private static boolean inBlock(String block, InetAddress address) {
    try {
      return new IpSubnetFilterRule(block, IpFilterRuleType.ACCEPT)
          .matches(new InetSocketAddress(address, 0));
    } catch (IllegalArgumentException e) {
      return false; // not a block it can read
    }
  }
}
