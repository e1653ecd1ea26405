package io.sudp.server;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.util.Map;

/**
 * What the server allows of reverse tunnels: the address its reverse listeners bind to, the ports
 * every client may listen on, and the ports each user may listen on besides. Deny by default: no
 * port named, no reverse tunnel. A value, compared whole on reload.
 */
public record ReverseSettings(String bind, PortRanges everyone, Map<String, PortRanges> users) {
  /** Loopback: a port reaches beyond the host only where the operator says so. */
  public static final String DEFAULT_BIND = "127.0.0.1";

  /** No reverse tunnels for anyone. */
  public static final ReverseSettings NONE =
      new ReverseSettings(DEFAULT_BIND, PortRanges.NONE, Map.of());

  public ReverseSettings {
    if (!NetUtil.isValidIpV4Address(bind) && !NetUtil.isValidIpV6Address(bind)) {
      throw new IllegalArgumentException("'" + bind + "' is not an IP address");
    }
    users = Map.copyOf(users);
  }

  /** True when some client may listen on some port. */
  public boolean offered() {
    return !everyone.isEmpty() || users.values().stream().anyMatch(ports -> !ports.isEmpty());
  }

  /** True when {@code user} (null: a server without authentication) may listen on {@code port}. */
  public boolean allows(String user, int port) {
    return everyone.contains(port)
        || (user != null && users.getOrDefault(user, PortRanges.NONE).contains(port));
  }

  /** The bind address, for the sockets. */
  public InetAddress bindAddress() {
    return NetUtil.createInetAddressFromIpAddressString(bind);
  }

  /** True when {@code host} (an IP literal a client asked for) is the bind address. */
  public boolean isBindAddress(String host) {
    return bindAddress().equals(NetUtil.createInetAddressFromIpAddressString(host));
  }
}
