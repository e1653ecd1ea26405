package io.sudp.ops;

/**
 * Why the server refused or closed a connection that never became a working client, or refused a
 * reverse tunnel's listener.
 */
public enum Refusal {
  /** Missing, wrong or unknown credentials (401). */
  AUTHENTICATION,
  /** Too many failed authentications from the same source, or for one user from it (429). */
  TOO_MANY_FAILURES,
  /** Too many passwords waiting to be checked on the server (503). */
  AUTH_BUSY,
  /** The server had its maximum of connections (503). */
  SERVER_FULL,
  /** The user had its maximum of connections (429). */
  USER_CONNECTIONS,
  /**
   * Not a SUDP upgrade: wrong path (404), protocol version (400), not a WebSocket upgrade (400,
   * 405, 426), or a request HTTP cannot parse (400, 414, 431).
   */
  BAD_UPGRADE,
  /** The TLS handshake failed (untrusted or expired certificate, no client certificate, ...). */
  TLS,
  /**
   * A connection from a trusted proxy, where the server expects the PROXY protocol, that did not
   * begin with a valid PROXY header (or closed before it sent one).
   */
  PROXY_HEADER,
  /** No WebSocket upgrade within the handshake timeout. */
  HANDSHAKE_TIMEOUT,
  /**
   * Closed to make room: of more TCP connections waiting to upgrade than {@code max-handshakes}
   * allows, it had waited longest.
   */
  TOO_MANY_HANDSHAKES,
  /**
   * Closed with 1013: the memory budget for peers ({@code queue.total-bytes}) had no room left for
   * a message arriving in pieces.
   */
  MEMORY_BUDGET,
  /**
   * The server was shutting down (503): a load balancer in front tries another server, where a
   * reconnecting client would otherwise come back to this one until it stops listening.
   */
  SHUTTING_DOWN,
  /**
   * A reverse tunnel's listener refused (protocol version 2): on the server, each LISTEN it
   * refused; on the client, each refusal it heard, and each connection to a server that speaks only
   * version 1 while reverse tunnels are configured.
   */
  REVERSE_LISTEN;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
