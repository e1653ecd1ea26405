package io.sudp.runtime;

import io.sudp.client.ClientTunnel;
import io.sudp.config.HostPort;
import io.sudp.config.TunnelConfig;

/**
 * A tunnel that runs: its configuration, the route that carries it, its framing core and the
 * connection to its server.
 */
record RunningTunnel(
    TunnelConfig config, String routeId, ClientTunnel tunnel, ClientConnection connection) {
  String name() {
    return config.name();
  }

  /** The address it listens on (port 0 resolved to the port picked where its declaration did). */
  HostPort listen() {
    return config.listen();
  }

  String server() {
    return connection.server();
  }
}
