package io.sudp.config;

import io.sudp.transport.BackoffPolicy;
import io.sudp.transport.ClientSecurity;
import io.sudp.transport.QueueLimits;
import java.time.Duration;
import java.util.List;

/** The {@code client:} section: the server to connect to and the local tunnels to carry. */
public record ClientConfig(
    String server,
    Duration idleTimeout,
    Duration keepalive,
    BackoffPolicy reconnect,
    ClientSecurity security,
    QueueLimits queue,
    List<TunnelConfig> tunnels) {}
