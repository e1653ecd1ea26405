package io.sudp.config;

import io.sudp.protocol.Destination;
import java.time.Duration;

/**
 * One client tunnel: a local UDP listener whose datagrams go to one destination, with how long its
 * flows may idle, how many datagrams per second it may send (0: no limit) and its socket's receive
 * buffer.
 *
 * @param server the server this tunnel goes through, or null for the client's {@code server}
 * @param credentials the name of an entry of {@code client.credentials}, or null for {@code
 *     client.auth}
 * @param connection the name of a WebSocket connection of its own to that server, shared only by
 *     the tunnels that give the same name; null for the server's shared connection
 * @param routeId the route that carries the tunnel: {@code sudp-client-NAME} for the tunnels of the
 *     configuration and of instance files, the {@code routeId} a route file gives its own
 */
public record TunnelConfig(
    String name,
    HostPort listen,
    Destination destination,
    Duration idleTimeout,
    long maxDatagramsPerSecond,
    long receiveBuffer,
    String server,
    String credentials,
    String connection,
    String routeId) {}
