package io.sudp.management;

import io.netty.util.NetUtil;
import java.util.Locale;
import java.util.Set;

/**
 * Who may talk to the management port at all, from what a browser cannot fake: a web page on the
 * same host reaches a loopback port too, so a request that carries an {@code Origin} (a browser
 * sends one with every cross-site write) is refused unless that origin is configured, and so is one
 * whose {@code Host} is a name, as a page that rebinds its own name to 127.0.0.1 sends it, unless
 * the name is configured. Tools (curl, Prometheus, Hawtio's server, {@code sudp status}) send no
 * Origin and name the port by address or {@code localhost}.
 */
public final class ManagementGate {
  private final Set<String> hosts;
  private final Set<String> origins;

  /**
   * @param hosts host names, beside IP addresses and {@code localhost}, that may appear in {@code
   *     Host}
   * @param origins origins (e.g. {@code https://hawtio.example:8443}) whose pages may call
   */
  public ManagementGate(Set<String> hosts, Set<String> origins) {
    this.hosts = Set.copyOf(hosts.stream().map(name -> name.toLowerCase(Locale.ROOT)).toList());
    this.origins = Set.copyOf(origins);
  }

  /**
   * Why a request is refused, or null if it may go on.
   *
   * @param host the host the request names (its {@code Host} without the port), or null
   * @param origin its {@code Origin}, or null
   */
  public String refusal(String host, String origin) {
    if (host == null || !isKnownHost(unbracketed(host.toLowerCase(Locale.ROOT)))) {
      return "unknown Host '"
          + bounded(host)
          + "': name the management port by address,"
          + " localhost or a name in management.hosts";
    }
    if (origin != null && !origins.contains(origin)) {
      return "requests from web pages are refused (Origin '"
          + bounded(origin)
          + "' is not in management.origins)";
    }
    return null;
  }

  private boolean isKnownHost(String name) {
    return name.equals("localhost")
        || NetUtil.isValidIpV4Address(name)
        || NetUtil.isValidIpV6Address(name)
        || hosts.contains(name);
  }

  /** An IPv6 address as written in a URL, {@code [::1]}, without its brackets. */
  private static String unbracketed(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  private static String bounded(String text) {
    return text == null ? "" : text.length() > 100 ? text.substring(0, 100) + "..." : text;
  }
}
