package io.sudp.config;

import io.sudp.protocol.Destination;

/** One client tunnel: a local UDP listener whose datagrams go to one destination. */
public record TunnelConfig(String name, HostPort listen, Destination destination) {}
