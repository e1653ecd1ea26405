package io.sudp.config;

import io.sudp.protocol.Destination;
import java.time.Duration;

/**
 * One client tunnel: a local UDP listener whose datagrams go to one destination, with how long
 * its flows may idle and how many datagrams per second it may send (0: no limit).
 */
public record TunnelConfig(String name, HostPort listen, Destination destination,
    Duration idleTimeout, long maxDatagramsPerSecond) {}
