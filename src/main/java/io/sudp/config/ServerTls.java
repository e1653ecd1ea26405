package io.sudp.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The {@code server.tls} section: the server's certificate and key, as PEM files or as a PKCS#12
 * keystore with its password, and optionally a CA whose client certificates are required (mutual
 * TLS). {@code expires} is what the certificate file said when it was read, not a setting: two
 * sections that name the same files are equal whatever the files hold, for a running server
 * re-reads them itself when they are renewed.
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
  public boolean equals(Object other) {
    return other instanceof ServerTls that
        && Objects.equals(certificate, that.certificate)
        && Objects.equals(key, that.key)
        && Objects.equals(keystore, that.keystore)
        && Objects.equals(keystorePassword, that.keystorePassword)
        && Objects.equals(clientCa, that.clientCa);
  }

  @Override
  public int hashCode() {
    return Objects.hash(certificate, key, keystore, keystorePassword, clientCa);
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
