package io.sudp.transport;

import java.util.Locale;

/**
 * Where the server learns a client's address: from the TCP connection, or, for connections from a
 * trusted proxy, from what that proxy says about the client it forwards.
 */
public enum ClientAddressSource {
  /** The TCP peer: the client itself, or the proxy every client behind it shares. */
  PEER,
  /** The right-most address of {@code X-Forwarded-For} that is not a trusted proxy. */
  X_FORWARDED_FOR,
  /** As {@link #X_FORWARDED_FOR}, from the {@code for=} of RFC 7239's {@code Forwarded}. */
  FORWARDED,
  /** The source address of a PROXY protocol header (v1 or v2) before TLS and HTTP. */
  PROXY_PROTOCOL;

  /** As written in the configuration: {@code x-forwarded-for}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The source a configuration names, or null if it names none. */
  public static ClientAddressSource of(String configName) {
    for (ClientAddressSource source : values()) {
      if (source.configName().equals(configName)) {
        return source;
      }
    }
    return null;
  }

  /** The HTTP header it reads, or null for none. */
  String header() {
    return switch (this) {
      case X_FORWARDED_FOR -> "X-Forwarded-For";
      case FORWARDED -> "Forwarded";
      case PEER, PROXY_PROTOCOL -> null;
    };
  }
}
