package io.sudp.config;

import java.util.Set;

/**
 * The {@code management:} section: where the metrics, health, status and Jolokia endpoints listen,
 * to whom they answer, and what Jolokia may change.
 *
 * @param jolokia {@code local} (clients on loopback only), {@code remote} (anyone who reaches the
 *     port) or {@code off}
 * @param operations the JMX domains whose operations Jolokia may run ({@code io.sudp}, {@code
 *     org.apache.camel}); empty: read only
 * @param hosts host names, beside addresses and {@code localhost}, that requests may name
 * @param origins web origins whose pages may call the port (Hawtio served elsewhere)
 * @param auth users and tokens that may use it (null: anyone who reaches it)
 */
public record ManagementConfig(
    HostPort listen,
    String jolokia,
    Set<String> operations,
    Set<String> hosts,
    Set<String> origins,
    ServerAuth auth) {
  public ManagementConfig {
    operations = Set.copyOf(operations);
    hosts = Set.copyOf(hosts);
    origins = Set.copyOf(origins);
  }

  /** The JMX domains whose operations may be opened to Jolokia. */
  public static final Set<String> OPERATION_DOMAINS = Set.of("io.sudp", "org.apache.camel");
}
