package io.sudp.config;

/** The {@code echo:} section: a built-in UDP echo service, a destination to try the tunnel with. */
public record EchoConfig(HostPort listen) {}
