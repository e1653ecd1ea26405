package io.sudp.config;

import io.sudp.transport.HttpProxy;

/**
 * Which HTTP proxy the client's connection to each server goes through: the one {@code
 * client.proxy} names, for every server; none ({@code proxy: none}); or, without the key, the one
 * the environment names for the server's scheme ({@code forWs} for {@code ws://}, {@code forWss}
 * for {@code wss://}) unless {@code direct} excepts the server's host.
 */
public record ProxyPolicy(HttpProxy forWs, HttpProxy forWss, NoProxy direct) {
  /** Every server directly. */
  public static final ProxyPolicy NONE = new ProxyPolicy(null, null, NoProxy.NONE);

  /** Every server through {@code proxy}. */
  static ProxyPolicy everywhere(HttpProxy proxy) {
    return new ProxyPolicy(proxy, proxy, NoProxy.NONE);
  }

  /**
   * The proxy for the server at {@code serverUrl} ({@code ws://} or {@code wss://}); null: none.
   */
  public HttpProxy proxyFor(String serverUrl) {
    HttpProxy proxy = serverUrl.startsWith("wss:") ? forWss : forWs;
    return proxy == null || direct.matches(host(serverUrl)) ? null : proxy;
  }

  /** The host of a server URL as checked by {@link TunnelChecks}: IPv6 without its brackets. */
  private static String host(String serverUrl) {
    String authority = serverUrl.substring(serverUrl.indexOf("://") + 3).split("/", 2)[0];
    authority = authority.substring(authority.lastIndexOf('@') + 1);
    if (authority.startsWith("[")) {
      return authority.substring(1, Math.max(1, authority.indexOf(']')));
    }
    int colon = authority.lastIndexOf(':');
    return colon < 0 ? authority : authority.substring(0, colon);
  }
}
