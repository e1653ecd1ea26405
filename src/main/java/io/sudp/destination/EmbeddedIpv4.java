package io.sudp.destination;

import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * IPv6 forms that carry an IPv4 address. Sending to one reaches that IPv4 address (through a NAT64
 * translator, a 6to4 or Teredo relay, or a stack that unwraps it), so the policy judges the
 * destination as the IPv4 address, not as the IPv6 one: {@code 64:ff9b::7f00:1} is 127.0.0.1.
 */
final class EmbeddedIpv4 {
  /** Addresses in {@code network/prefix} carry IPv4 at byte {@code offset}, XOR {@code mask}. */
  private record Form(byte[] network, int prefix, int offset, int mask) {
    InetAddress carriedBy(byte[] address) {
      byte[] ipv4 = new byte[4];
      for (int i = 0; i < 4; i++) {
        ipv4[i] = (byte) (address[offset + i] ^ mask);
      }
      try {
        return InetAddress.getByAddress(ipv4);
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static final List<Form> FORMS =
      List.of(
          form("::ffff:0:0", 96, 12, 0), // IPv4-mapped
          form("::", 96, 12, 0), // IPv4-compatible (deprecated, still unwrapped by some stacks)
          form("::ffff:0:0:0", 96, 12, 0), // SIIT, IPv4-translated
          form("64:ff9b::", 96, 12, 0), // NAT64, well-known prefix
          form("64:ff9b:1::", 48, 12, 0), // NAT64, local-use prefix (RFC 8215)
          form("2002::", 16, 2, 0), // 6to4: the site's router
          form(
              "2001::", 32, 4, 0), // Teredo: the server, through which a relay may reach the client
          form("2001::", 32, 12, 0xff)); // Teredo: the client, its bits inverted

  private EmbeddedIpv4() {}

  private static Form form(String network, int prefix, int offset, int mask) {
    return new Form(NetUtil.createByteArrayFromIpAddressString(network), prefix, offset, mask);
  }

  /**
   * The addresses {@code address} is judged as: the IPv4 addresses it carries (two for Teredo),
   * else itself. {@code ::} and {@code ::1} stay the unspecified and loopback addresses.
   */
  static List<InetAddress> judgedAs(InetAddress address) {
    if (address instanceof Inet4Address
        || address.isAnyLocalAddress()
        || address.isLoopbackAddress()) {
      return List.of(address);
    }
    byte[] bytes = address.getAddress();
    List<InetAddress> carried = new ArrayList<>(2);
    for (Form form : FORMS) {
      if (SpecialRanges.matches(form.network(), form.prefix(), bytes)) {
        carried.add(form.carriedBy(bytes));
      }
    }
    return carried.isEmpty() ? List.of(address) : carried;
  }
}
