package io.sudp.config;

import java.nio.file.Path;

/**
 * The {@code server.tls} section: the server's certificate and key, as PEM files or as a PKCS#12
 * keystore with its password, and optionally a CA whose client certificates are required (mutual
 * TLS).
 */
public record ServerTls(Path certificate, Path key, Path keystore, String keystorePassword,
    Path clientCa) {
  @Override
  public String toString() {
    return "ServerTls[certificate=" + certificate + ", key=" + key + ", keystore=" + keystore
        + ", clientCa=" + clientCa + "]";
  }
}
