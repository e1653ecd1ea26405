package io.sudp.config;

/**
 * The {@code management:} section: where the metrics, health, status and Jolokia endpoints listen,
 * and to whom Jolokia answers.
 *
 * @param jolokia {@code local} (clients on loopback only), {@code remote} (anyone who reaches the
 *     port) or {@code off}
 */
public record ManagementConfig(HostPort listen, String jolokia) {}
