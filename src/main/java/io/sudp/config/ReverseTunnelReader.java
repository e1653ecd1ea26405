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
 * their datagrams go on this side.
 */
final class ReverseTunnelReader {
  private ReverseTunnelReader() {}

  static List<ReverseTunnel> tunnels(ConfigNode client, Duration defaultIdleTimeout) {
    List<ReverseTunnel> tunnels = new ArrayList<>();
    Map<String, String> names = new HashMap<>();
    Map<String, String> ports = new HashMap<>();
    for (ConfigNode node : client.sections("reverse-tunnels")) {
      String name = node.string("name", null);
      if (name == null) {
        node.problem("name", "required: a name for the reverse tunnel");
      } else if (!name.matches("[A-Za-z0-9][A-Za-z0-9_-]*")) {
        node.problem("name", "'" + name + "' must be letters, digits, - and _");
      } else {
        String first = names.putIfAbsent(name, node.where("name"));
        if (first != null) {
          node.problem("name", "'" + name + "' is used by another reverse tunnel (" + first + ")");
        }
      }
      String listen = node.string("remote-listen", null);
      String host = null;
      int port = 0;
      if (listen == null) {
        node.problem("remote-listen", "required: the server's port to listen on (PORT or IP:PORT)");
      } else {
        try {
          if (listen.matches("\\d+")) {
            port = Integer.parseInt(listen);
            if (port < 1 || port > 65_535) {
              throw new IllegalArgumentException("'" + listen + "': port must be 1..65535");
            }
          } else {
            HostPort address = HostPort.parse(listen, false);
            if (!NetUtil.isValidIpV4Address(address.host())
                && !NetUtil.isValidIpV6Address(address.host())) {
              throw new IllegalArgumentException("'" + address.host() + "' is not an IP address");
            }
            host = address.host();
            port = address.port();
          }
          String other = ports.putIfAbsent(Integer.toString(port), node.where("remote-listen"));
          if (other != null) {
            node.problem("remote-listen", "port " + port + " is already asked for by " + other);
          }
        } catch (IllegalArgumentException e) {
          node.problem("remote-listen", e.getMessage() + " (expected PORT or IP:PORT, e.g. 5353)");
        }
      }
      Destination destination = node.destination("destination");
      if (destination == null && !node.has("destination")) {
        node.problem("destination", "required: where the datagrams go on this side (HOST:PORT)");
      }
      Duration idle = node.duration("idle-timeout", defaultIdleTimeout, DurationRange.IDLE);
      node.rejectUnknownKeys();
      if (name != null && port != 0 && destination != null) {
        tunnels.add(new ReverseTunnel(name, host, port, destination, idle));
      }
    }
    return tunnels;
  }
}
