package io.sudp.config;

import io.netty.util.NetUtil;

/** A local address to bind: an IP literal or {@code localhost}, and a port (0 = any free one). */
public record HostPort(String host, int port) {
  static HostPort parse(String text, boolean allowZeroPort) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("'" + text + "' has no port");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (!host.equals("localhost")
        && !NetUtil.isValidIpV4Address(host)
        && !NetUtil.isValidIpV6Address(host)) {
      throw new IllegalArgumentException("'" + host + "' is not an IP address");
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "': port is not a number");
    }
    if (port < (allowZeroPort ? 0 : 1) || port > 65_535) {
      throw new IllegalArgumentException("'" + text + "': port must be 0..65535");
    }
    return new HostPort(host, port);
  }

  /**
   * Whether {@code host} (an IP literal, in any IPv6 spelling, or {@code localhost}) is this
   * machine's loopback interface.
   */
  public static boolean isLoopback(String host) {
    if (host.equals("localhost")) {
      return true;
    }
    java.net.InetAddress address = NetUtil.createInetAddressFromIpAddressString(host);
    return address != null && address.isLoopbackAddress();
  }

  /** The host as a URI authority part: IPv6 literals in brackets. */
  public String uriHost() {
    return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
  }

  @Override
  public String toString() {
    return uriHost() + ":" + port;
  }
}
