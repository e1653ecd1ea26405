package io.sudp.config;

import io.sudp.transport.HttpProxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Reads {@code client.proxy} and its password, or, without the key, the proxy variables of the
 * environment ({@code http_proxy}, {@code https_proxy}, {@code no_proxy}, each also in capitals). A
 * password comes from a file or a variable, never from the configuration file, and no message shows
 * one.
 */
final class ProxyReader {
  private static final String FORM = "http://[USER@]HOST:PORT";

  private ProxyReader() {}

  static ProxyPolicy read(ConfigNode client) {
    if (!client.has("proxy")) {
      refusePassword(client, "without client.proxy");
      try {
        return fromEnvironment(client.environment()::get);
      } catch (IllegalArgumentException e) {
        client.problem(
            "proxy",
            e.getMessage() + "; set client.proxy to use another proxy, or none to use none");
        return ProxyPolicy.NONE;
      }
    }
    String text = client.string("proxy", "").strip();
    if (text.isEmpty() || text.equals("none")) {
      refusePassword(client, "with client.proxy: none");
      return ProxyPolicy.NONE;
    }
    HttpProxy named;
    try {
      named = parse(text);
    } catch (IllegalArgumentException e) {
      client.problem("proxy", e.getMessage());
      refusePassword(client, "");
      return ProxyPolicy.NONE;
    }
    if (named.password() != null) {
      client.problem(
          "proxy",
          "a password in the URL would sit in the configuration: name only the user"
              + " (http://USER@HOST:PORT) and put the password in proxy-password-file or"
              + " proxy-password-env");
    }
    if (named.username() == null) {
      refusePassword(client, "when client.proxy names no user (http://USER@HOST:PORT)");
      return ProxyPolicy.everywhere(named);
    }
    String password = ClientSecurityReader.secret(client, "proxy-password", client.environment());
    return ProxyPolicy.everywhere(
        new HttpProxy(named.host(), named.port(), named.username(), password));
  }

  /**
   * The proxies {@code variables} name (lower case first, as curl reads them), for servers not on
   * loopback and not in {@code no_proxy}.
   *
   * @throws IllegalArgumentException naming the variable, if one is set but is no proxy URL
   */
  static ProxyPolicy fromEnvironment(UnaryOperator<String> variables) {
    HttpProxy forWs = variable(variables, "http_proxy");
    HttpProxy forWss = variable(variables, "https_proxy");
    if (forWs == null && forWss == null) {
      return ProxyPolicy.NONE;
    }
    return new ProxyPolicy(forWs, forWss, NoProxy.parse(value(variables, "no_proxy")));
  }

  private static HttpProxy variable(UnaryOperator<String> variables, String name) {
    String value = value(variables, name);
    if (value == null) {
      return null;
    }
    String lower = variables.apply(name);
    String which = lower != null && !lower.isBlank() ? name : name.toUpperCase(Locale.ROOT);
    try {
      HttpProxy proxy = parse(value.strip());
      // A user without a password is sent with an empty one, as curl does.
      return proxy.username() == null || proxy.password() != null
          ? proxy
          : new HttpProxy(proxy.host(), proxy.port(), proxy.username(), "");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("environment variable " + which + ": " + e.getMessage());
    }
  }

  /** The variable in lower case, else in capitals; null when neither is set or both are empty. */
  private static String value(UnaryOperator<String> variables, String name) {
    String lower = variables.apply(name);
    if (lower != null && !lower.isBlank()) {
      return lower;
    }
    String upper = variables.apply(name.toUpperCase(Locale.ROOT));
    return upper == null || upper.isBlank() ? null : upper;
  }

  /**
   * {@code http://[USER[:PASSWORD]@]HOST:PORT} ({@code http://} may be left out) as a proxy; its
   * password is null when the URL has none.
   */
  static HttpProxy parse(String text) {
    String url = text.contains("://") ? text : "http://" + text;
    String scheme = url.substring(0, url.indexOf("://")).toLowerCase(Locale.ROOT);
    if (scheme.equals("https")) {
      throw new IllegalArgumentException(
          "a TLS connection to the proxy (https://) is not supported: use http:// (a wss://"
              + " server stays TLS end to end through the proxy)");
    }
    if (!scheme.equals("http")) {
      throw new IllegalArgumentException(
          "only HTTP proxies (http://) are supported, not " + shown(text));
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw notAProxy(text);
    }
    String path = uri.getRawPath();
    if (uri.getHost() == null
        || uri.getPort() < 1
        || uri.getPort() > 65_535
        || (path != null && !path.isEmpty() && !path.equals("/"))
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw notAProxy(text);
    }
    String host = uri.getHost();
    if (host.startsWith("[")) {
      host = host.substring(1, host.length() - 1);
    }
    String userInfo = uri.getRawUserInfo();
    if (userInfo == null || userInfo.isEmpty()) {
      return new HttpProxy(host, uri.getPort(), null, null);
    }
    int colon = userInfo.indexOf(':');
    String user;
    String password;
    try {
      user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
    } catch (IllegalArgumentException e) {
      throw notAProxy(text); // a broken %-escape, whose message would show the password
    }
    return new HttpProxy(host, uri.getPort(), user.isEmpty() ? null : user, password);
  }

  private static IllegalArgumentException notAProxy(String text) {
    return new IllegalArgumentException(
        shown(text) + " is not " + FORM + " (http:// may be left out)");
  }

  /** {@code text} quoted, with whatever comes before an {@code @} (user, password) hidden. */
  private static String shown(String text) {
    return "'" + text.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)?.*@", "$1***@") + "'";
  }

  private static String decode(String escaped) {
    return URLDecoder.decode(escaped.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** Reports each password key given where no password is taken ({@code when} says why). */
  private static void refusePassword(ConfigNode client, String when) {
    for (String key : new String[] {"proxy-password-file", "proxy-password-env"}) {
      if (client.has(key)) {
        client.string(key, "");
        if (!when.isEmpty()) {
          client.problem(key, "no proxy password is taken " + when);
        }
      }
    }
  }
}
