package io.sudp.config;

import io.sudp.transport.BackoffPolicy;
import io.sudp.transport.ClientSecurity;
import io.sudp.transport.QueueLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The {@code client:} section: the server to connect to and the local tunnels to carry, from the
 * file itself and from the instance files of {@code instancesDir} (null: none).
 */
public record ClientConfig(
    String server,
    Duration idleTimeout,
    Duration keepalive,
    BackoffPolicy reconnect,
    ClientSecurity security,
    QueueLimits queue,
    List<TunnelConfig> tunnels,
    Path instancesDir,
    List<TunnelConfig> instances) {

  /** The tunnels of the configuration file and of the instance files, together. */
  public List<TunnelConfig> allTunnels() {
    List<TunnelConfig> all = new java.util.ArrayList<>(tunnels);
    all.addAll(instances);
    return all;
  }
}
