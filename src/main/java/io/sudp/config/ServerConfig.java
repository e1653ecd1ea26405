package io.sudp.config;

import io.sudp.server.AllowRule;
import io.sudp.transport.QueueLimits;
import java.time.Duration;
import java.util.List;

/** The {@code server:} section: where the WebSocket server listens and what it may reach. */
public record ServerConfig(
    HostPort listen,
    String path,
    Duration idleTimeout,
    Duration keepalive,
    Duration resumeTimeout,
    int maxFlowsPerConnection,
    List<AllowRule> allow,
    ServerAuth auth,
    ServerTls tls,
    QueueLimits queue) {}
