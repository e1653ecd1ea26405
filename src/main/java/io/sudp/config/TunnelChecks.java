package io.sudp.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Reads tunnel entries and checks them against each other: unique names and listen addresses. */
final class TunnelChecks {
  private final Map<String, String> names = new HashMap<>();
  private final Map<String, String> listeners = new HashMap<>();
  private final Duration defaultIdleTimeout;

  /** @param defaultIdleTimeout the client's idle timeout, for tunnels that set none */
  TunnelChecks(Duration defaultIdleTimeout) {
    this.defaultIdleTimeout = defaultIdleTimeout;
  }

  /** Notes a tunnel already accepted, so the next ones are checked against it. */
  void claim(TunnelConfig tunnel) {
    names.put(tunnel.name(), tunnel.name());
    if (tunnel.listen().port() != 0) {
      listeners.put(tunnel.listen().toString(), tunnel.name());
    }
  }

  /**
   * Reads one tunnel entry.
   *
   * @param defaultName the name when the entry has none (an instance file's base name), or null
   */
  TunnelConfig tunnel(ConfigNode node, String defaultName) {
    String name = node.string("name", defaultName);
    if (name != null && !name.matches("[A-Za-z0-9][A-Za-z0-9_-]*")) {
      node.problem("name", "'" + name + "' must be letters, digits, - and _");
    } else if (name != null && names.putIfAbsent(name, name) != null) {
      node.problem("name", "'" + name + "' is used by another tunnel");
    }
    HostPort listen = node.listenAddress("listen", null);
    if (listen != null && listen.port() != 0) {
      String other = listeners.putIfAbsent(listen.toString(), String.valueOf(name));
      if (other != null) {
        node.problem("listen", listen + " is already the listen address of tunnel '" + other + "'");
      }
    }
    TunnelConfig tunnel = new TunnelConfig(name, listen, node.destination("destination"),
        node.duration("idle-timeout", defaultIdleTimeout),
        node.integer("max-datagrams-per-second", 0, 0, Integer.MAX_VALUE));
    node.rejectUnknownKeys();
    return tunnel;
  }
}
