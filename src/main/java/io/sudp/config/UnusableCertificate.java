package io.sudp.config;

import java.nio.file.Path;

/**
 * Why the server's certificate files cannot serve TLS: which file ({@code server.tls}'s key naming
 * it) and the reason, in words that hold no key material.
 */
public final class UnusableCertificate extends Exception {
  private final String key;
  private final transient Path file;
  private final String reason;

  UnusableCertificate(String key, Path file, String reason) {
    super("server.tls." + key + " " + file + ": " + reason);
    this.key = key;
    this.file = file;
    this.reason = reason;
  }

  /** The key of {@code server.tls} that names the file: certificate, key or keystore. */
  public String key() {
    return key;
  }

  public Path file() {
    return file;
  }

  public String reason() {
    return reason;
  }
}
