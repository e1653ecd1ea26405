package io.sudp.config;

import io.sudp.routes.RouteNames;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads tunnel entries and checks them against each other (unique names and listen addresses) and
 * against the client's own routes, whose ids a tunnel's name must not take.
 */
final class TunnelChecks {
  /** A burst of a few hundred datagrams waits here while the tunnel is busy (capped by the OS). */
  static final long DEFAULT_RECEIVE_BUFFER = 4L << 20;

  private static final String CONNECTION_NAME = "[A-Za-z0-9][A-Za-z0-9_-]{0,63}";

  /** Where each name was first given: {@code FILE:LINE}. */
  private final Map<String, String> names = new HashMap<>();

  /** Which tunnel took each listen address, and where: {@code tunnel 'NAME' (FILE:LINE)}. */
  private final Map<String, String> listeners = new HashMap<>();

  private final Duration defaultIdleTimeout;
  private final Set<String> credentials;
  private final boolean clientAuth;

  /**
   * @param defaultIdleTimeout the client's idle timeout, for tunnels that set none
   * @param credentials the names of {@code client.credentials}, which tunnels may refer to
   * @param clientAuth whether {@code client.auth} is set: tunnels without credentials of their own
   *     use it
   */
  TunnelChecks(Duration defaultIdleTimeout, Set<String> credentials, boolean clientAuth) {
    this.defaultIdleTimeout = defaultIdleTimeout;
    this.credentials = credentials;
    this.clientAuth = clientAuth;
  }

  /** The checks for tunnels of {@code client}: its idle timeout, credentials and auth. */
  static TunnelChecks of(ClientConfig client) {
    return new TunnelChecks(
        client.idleTimeout(),
        client.credentials().keySet(),
        client.security().authorization() != null);
  }

  /**
   * Checks a server URL at {@code key}: ws:// or wss://, and no credentials over ws:// to anywhere
   * but this machine.
   */
  static void checkServerUrl(ConfigNode node, String key, String url, boolean withCredentials) {
    if (!url.matches("wss?://[^/\\s]+(/\\S*)?")) {
      node.problem(key, "'" + url + "' is not a ws:// or wss:// URL");
    } else if (withCredentials
        && url.startsWith("ws://")
        && !url.matches("ws://(127\\.[0-9.]+|localhost|\\[::1\\])(:\\d+)?(/.*)?")) {
      node.problem(key, "credentials would travel in clear text: use wss://");
    }
  }

  /** Notes a tunnel already accepted, so the next ones are checked against it. */
  void claim(TunnelConfig tunnel) {
    names.put(tunnel.name(), "the running configuration");
    if (tunnel.listen().port() != 0) {
      listeners.put(
          tunnel.listen().toString(), "tunnel '" + tunnel.name() + "' (the running configuration)");
    }
  }

  /**
   * Reads one tunnel entry of the configuration or an instance file, carried by the route {@code
   * sudp-client-NAME}.
   *
   * @param defaultName the name when the entry has none (an instance file's base name), or null
   */
  TunnelConfig tunnel(ConfigNode node, String defaultName) {
    return tunnel(node, defaultName, null);
  }

  /**
   * Reads one tunnel entry.
   *
   * @param defaultName the name when the entry has none, or null
   * @param routeId the route that carries it, or null for {@code sudp-client-NAME}
   */
  TunnelConfig tunnel(ConfigNode node, String defaultName, String routeId) {
    String name = node.string("name", defaultName);
    String reserved = name == null ? null : RouteNames.reservedTunnelName(name);
    if (name != null && !name.matches("[A-Za-z0-9][A-Za-z0-9_-]*")) {
      node.problem("name", "'" + name + "' must be letters, digits, - and _");
    } else if (reserved != null) {
      node.problem("name", "'" + name + "' " + reserved);
    } else if (name != null) {
      String first = names.putIfAbsent(name, node.where("name"));
      if (first != null) {
        node.problem("name", "'" + name + "' is used by another tunnel (" + first + ")");
      }
    }
    HostPort listen = node.listenAddress("listen", null);
    if (listen != null && listen.port() != 0) {
      String other =
          listeners.putIfAbsent(
              listen.toString(), "tunnel '" + name + "' (" + node.where("listen") + ")");
      if (other != null) {
        node.problem("listen", listen + " is already the listen address of " + other);
      }
    }
    String server = node.has("server") ? node.string("server", null) : null;
    String named = node.has("credentials") ? node.string("credentials", null) : null;
    if (server != null) {
      checkServerUrl(node, "server", server, named != null || clientAuth);
    }
    if (named != null && !credentials.contains(named)) {
      node.problem(
          "credentials",
          "'"
              + named
              + "' is not in client.credentials"
              + (credentials.isEmpty()
                  ? " (there is none)"
                  : " (" + String.join(", ", new java.util.TreeSet<>(credentials)) + ")"));
    }
    String connection = node.has("connection") ? node.string("connection", null) : null;
    if (connection != null && !connection.matches(CONNECTION_NAME)) {
      node.problem(
          "connection",
          "'" + connection + "' must be letters, digits, - and _ (at most 64), or empty");
    }
    TunnelConfig tunnel =
        new TunnelConfig(
            name,
            listen,
            node.destination("destination"),
            node.duration("idle-timeout", defaultIdleTimeout, DurationRange.IDLE),
            node.integer("max-datagrams-per-second", 0, 0, Integer.MAX_VALUE),
            node.size("receive-buffer", DEFAULT_RECEIVE_BUFFER, 4096, 1L << 30),
            server,
            named,
            connection,
            routeId != null ? routeId : RouteNames.tunnelRoute(String.valueOf(name)));
    node.rejectUnknownKeys();
    return tunnel;
  }
}
