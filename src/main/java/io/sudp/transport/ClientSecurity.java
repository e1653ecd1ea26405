package io.sudp.transport;

import java.nio.file.Path;

/**
 * How the client proves itself and checks the server: the CA to verify the server's certificate
 * against ({@code null}: the JVM's trusted CAs), a certificate and key for mutual TLS (or null),
 * whether verification is off ({@code insecure}: only for debugging, logged loudly), and the {@code
 * Authorization} header to send ({@code null}: none).
 */
public record ClientSecurity(
    Path caFile, Path certificate, Path key, boolean insecure, String authorization) {
  @Override
  public String toString() {
    return "ClientSecurity[ca="
        + caFile
        + ", certificate="
        + certificate
        + ", insecure="
        + insecure
        + ", authorization="
        + (authorization == null ? "none" : "(secret)")
        + "]";
  }
}
