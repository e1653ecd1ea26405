package io.sudp.config;

/** The {@code management:} section: where the metrics, health and status endpoints listen. */
public record ManagementConfig(HostPort listen) {}
