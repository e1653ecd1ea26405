package io.sudp.config;

import java.time.Duration;
import java.util.List;

/** The {@code client:} section: the server to connect to and the local tunnels to carry. */
public record ClientConfig(
    String server,
    Duration idleTimeout,
    QueueLimits queue,
    List<TunnelConfig> tunnels) {}
