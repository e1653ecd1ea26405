package io.sudp.transport;

import java.nio.file.Path;

/**
 * How the client proves itself and checks the server: the CA to verify the server's certificate
 * against ({@code null}: the JVM's trusted CAs), whether verification is off ({@code insecure}:
 * only for tests, logged loudly), and the {@code Authorization} header to send ({@code null}: none).
 */
public record ClientSecurity(Path caFile, boolean insecure, String authorization) {
  public static final ClientSecurity NONE = new ClientSecurity(null, false, null);

  @Override
  public String toString() {
    return "ClientSecurity[ca=" + caFile + ", insecure=" + insecure + ", authorization="
        + (authorization == null ? "none" : "(secret)") + "]";
  }
}
