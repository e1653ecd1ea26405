package io.sudp.protocol;

/** Version 2: the server's answer to a LISTEN; the byte values are part of the protocol. */
public enum ListenResult {
  /** The server listens; datagrams to it arrive as reverse flows. */
  LISTENING(0, "listening"),
  /** The user may not listen on that address and port. */
  NOT_ALLOWED(1, "not allowed for this user"),
  /** Another session of the server holds the port. */
  IN_USE(2, "in use by another session"),
  /** The operating system refused the socket. */
  CANNOT_BIND(3, "the server cannot bind it"),
  /** The session or the user has its maximum of listeners. */
  LISTENER_LIMIT(4, "too many listeners"),
  /** The server carries no reverse tunnels for anyone. */
  NOT_OFFERED(5, "the server offers no reverse tunnels");

  private static final ListenResult[] BY_CODE = values();

  private final int code;
  private final String reason;

  ListenResult(int code, String reason) {
    this.code = code;
    this.reason = reason;
  }

  public int code() {
    return code;
  }

  /** What a log line says of it. */
  public String reason() {
    return reason;
  }

  /** Unknown codes from a newer peer are read as {@link #NOT_ALLOWED}: refused either way. */
  public static ListenResult ofCode(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : NOT_ALLOWED;
  }
}
