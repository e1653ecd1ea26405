package io.sudp.server;

import java.time.Duration;

/**
 * The bounds of the server's flows: at most {@code perConnection} on one connection and {@code
 * onServer} over all sessions (every flow is a UDP socket: a file descriptor and buffers), at most
 * {@code resolving} destination names being resolved at once, each for at most {@code
 * resolveTimeout}; a flow idle for {@code idleTimeout} is closed.
 */
public record FlowLimits(
    int perConnection,
    int onServer,
    int resolving,
    Duration resolveTimeout,
    Duration idleTimeout) {}
