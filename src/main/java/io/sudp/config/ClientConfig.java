package io.sudp.config;

import io.sudp.client.ReverseOffer;
import io.sudp.transport.BackoffPolicy;
import io.sudp.transport.ClientSecurity;
import io.sudp.transport.QueueLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The {@code client:} section: the server to connect to (through the HTTP proxy {@code proxy} picks
 * for it, if any) and the local tunnels to carry, from the file itself and from the instance files
 * of {@code instancesDir} (null: none), and the reverse tunnels it offers the server with what
 * their datagrams may reach here. On shutdown, frames still queued get {@code drainTimeout} to
 * reach the server.
 */
public record ClientConfig(
    String server,
    Duration idleTimeout,
    Duration keepalive,
    BackoffPolicy reconnect,
    ClientSecurity security,
    Map<String, ClientSecurity> credentials,
    ProxyPolicy proxy,
    QueueLimits queue,
    List<TunnelConfig> tunnels,
    Path instancesDir,
    List<TunnelConfig> instances,
    Duration drainTimeout,
    ReverseOffer reverse) {
  public ClientConfig {
    credentials = Map.copyOf(credentials);
    tunnels = List.copyOf(tunnels);
    instances = List.copyOf(instances);
  }

  /** These settings with other tunnels: what a reload applies while the connection stays. */
  public ClientConfig withTunnels(
      List<TunnelConfig> fileTunnels, List<TunnelConfig> instanceTunnels) {
    return new ClientConfig(
        server,
        idleTimeout,
        keepalive,
        reconnect,
        security,
        credentials,
        proxy,
        queue,
        fileTunnels,
        instancesDir,
        instanceTunnels,
        drainTimeout,
        reverse);
  }

  /**
   * These settings with {@code next}'s tunnels and credentials: what a reload applies while the
   * connections stay (a new credentials entry serves connections made from now on).
   */
  public ClientConfig withTunnelsOf(ClientConfig next) {
    return new ClientConfig(
        server,
        idleTimeout,
        keepalive,
        reconnect,
        security,
        next.credentials,
        proxy,
        queue,
        next.tunnels,
        instancesDir,
        next.instances,
        drainTimeout,
        reverse);
  }

  /** How a tunnel proves itself to its server: its named credentials, else {@code auth}'s. */
  public ClientSecurity securityOf(TunnelConfig tunnel) {
    return tunnel.credentials() == null ? security : credentials.get(tunnel.credentials());
  }

  /** The server a tunnel goes through: its own, else the client's. */
  public String serverOf(TunnelConfig tunnel) {
    return tunnel.server() == null ? server : tunnel.server();
  }

  /** The tunnels of the configuration file and of the instance files, together. */
  public List<TunnelConfig> allTunnels() {
    List<TunnelConfig> all = new java.util.ArrayList<>(tunnels);
    all.addAll(instances);
    return all;
  }
}
