package io.sudp.transport;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The handshake header that carries the client's session id: the client sends the same id on every
 * connection of its session, so that the server can give a reconnecting client its session back.
 */
public final class SessionHeader {
  /** The header's name. */
  public static final String NAME = "Sudp-Session";

  private static final SecureRandom RANDOM = new SecureRandom();

  private SessionHeader() {}

  /** A session id from the client's header, or a fresh one if it sent none or a malformed one. */
  public static String idFrom(String header) {
    if (header != null && header.matches("[0-9a-f]{32}")) {
      return header;
    }
    byte[] id = new byte[16];
    RANDOM.nextBytes(id);
    return HexFormat.of().formatHex(id);
  }
}
