package io.sudp.config;

import io.netty.util.NetUtil;
import io.sudp.client.ReverseTunnel;
import io.sudp.protocol.Destination;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code client.reverse-tunnels}: ports the server listens on for this client, and where
 * their datagrams go on this side. Names and ports are unique among them.
 */
final class ReverseTunnelReader {
  /** Where each name was first given: {@code FILE:LINE}. */
  private final Map<String, String> names = new HashMap<>();

  /** Where each server port was first asked for: {@code FILE:LINE}. */
  private final Map<Integer, String> ports = new HashMap<>();

  private ReverseTunnelReader() {}

  static List<ReverseTunnel> tunnels(ConfigNode client, Duration defaultIdleTimeout) {
    ReverseTunnelReader reader = new ReverseTunnelReader();
    List<ReverseTunnel> tunnels = new ArrayList<>();
    for (ConfigNode node : client.sections("reverse-tunnels")) {
      String name = reader.name(node);
      HostPort listen = reader.remoteListen(node);
      Destination destination = node.destination("destination");
      Duration idle = node.duration("idle-timeout", defaultIdleTimeout, DurationRange.IDLE);
      node.rejectUnknownKeys();
      if (name != null && listen != null && destination != null) {
        tunnels.add(new ReverseTunnel(name, listen.host(), listen.port(), destination, idle));
      }
    }
    return tunnels;
  }

  private String name(ConfigNode node) {
    String name = node.string("name", null);
    if (name == null) {
      return null;
    }
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9_-]*")) {
      node.problem("name", "'" + name + "' must be letters, digits, - and _");
      return null;
    }
    String first = names.putIfAbsent(name, node.where("name"));
    if (first != null) {
      node.problem("name", "'" + name + "' is used by another reverse tunnel (" + first + ")");
    }
    return name;
  }

  /** {@code PORT} (host null: the server's bind address) or {@code IP:PORT}; null if bad. */
  private HostPort remoteListen(ConfigNode node) {
    String text = node.string("remote-listen", null);
    if (text == null) {
      return null;
    }
    HostPort listen;
    try {
      listen = text.matches("\\d+") ? new HostPort(null, port(text)) : HostPort.parse(text, false);
      if (listen.host() != null
          && !NetUtil.isValidIpV4Address(listen.host())
          && !NetUtil.isValidIpV6Address(listen.host())) {
        throw new IllegalArgumentException("'" + listen.host() + "' is not an IP address");
      }
    } catch (IllegalArgumentException e) {
      node.problem("remote-listen", e.getMessage() + " (expected PORT or IP:PORT, e.g. 5353)");
      return null;
    }
    String other = ports.putIfAbsent(listen.port(), node.where("remote-listen"));
    if (other != null) {
      node.problem("remote-listen", "port " + listen.port() + " is already asked for by " + other);
    }
    return listen;
  }

  private static int port(String text) {
    int port = Integer.parseInt(text);
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("'" + text + "': port must be 1..65535");
    }
    return port;
  }
}
