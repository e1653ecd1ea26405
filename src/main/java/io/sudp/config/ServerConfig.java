package io.sudp.config;

import io.sudp.destination.AllowRule;
import io.sudp.server.ReverseSettings;
import io.sudp.server.UserLimits;
import io.sudp.transport.ClientAddressRule;
import io.sudp.transport.QueueLimits;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The {@code server:} section: where the WebSocket server listens, what it may reach and which
 * ports clients may listen on with reverse tunnels. A value, compared whole on reload; the server
 * builds its live state (flow slots, rate budgets) from it.
 */
public record ServerConfig(
    HostPort listen,
    String path,
    Duration idleTimeout,
    Duration keepalive,
    Duration resumeTimeout,
    int maxFlowsPerConnection,
    int maxFlows,
    int maxResolving,
    Duration resolveTimeout,
    List<HostPort> dnsServers,
    List<AllowRule> allow,
    Map<String, UserLimits> users,
    int maxConnections,
    int maxHandshakes,
    Duration handshakeTimeout,
    ClientAddressRule clientAddress,
    ServerAuth auth,
    ServerTls tls,
    QueueLimits queue,
    long queueTotalBytes,
    Duration drainTimeout,
    ReverseSettings reverse) {
  public ServerConfig {
    dnsServers = List.copyOf(dnsServers);
    allow = List.copyOf(allow);
    users = Map.copyOf(users);
  }
}
