package io.sudp.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The {@code server.tls} section: the server's certificate and key, as PEM files or as a PKCS#12
 * keystore with its password, and optionally a CA whose client certificates are required (mutual
 * TLS).
 */
public record ServerTls(
    Path certificate,
    Path key,
    Path keystore,
    String keystorePassword,
    Path clientCa,
    Instant expires) {
  /** How long before its end a certificate is said to expire soon. */
  public static final Duration EXPIRY_WARNING = Duration.ofDays(14);

  /** A warning when the certificate ends within {@link #EXPIRY_WARNING} of {@code now}, or null. */
  public String expiryWarning(Instant now) {
    return expiryWarning(expires, now);
  }

  /** A warning when {@code expires} is within {@link #EXPIRY_WARNING} of {@code now}, or null. */
  public static String expiryWarning(Instant expires, Instant now) {
    if (expires == null || expires.isAfter(now.plus(EXPIRY_WARNING))) {
      return null;
    }
    return expires.isBefore(now)
        ? "server.tls: the certificate expired on " + expires + ": no client will trust it"
        : "server.tls: the certificate expires on "
            + expires
            + ", in "
            + Duration.between(now, expires).toDays()
            + " days: renew it";
  }

  @Override
  public String toString() {
    return "ServerTls[certificate="
        + certificate
        + ", key="
        + key
        + ", keystore="
        + keystore
        + ", clientCa="
        + clientCa
        + "]";
  }
}
