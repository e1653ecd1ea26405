package io.sudp.ops;

import java.util.Locale;

/** Why one attempt of a client to connect to its server failed; each failure counts once. */
public enum ConnectFailure {
  /**
   * The HTTP proxy in the way: it could not be reached, refused the {@code CONNECT} (407, 403, 502,
   * ...), answered something that is not HTTP, or did not answer in time.
   */
  PROXY,
  /** The server could not be reached: refused, unreachable, not resolved, timed out, reset. */
  NETWORK,
  /** The TLS handshake with the server failed (certificate not trusted, expired, other name). */
  TLS,
  /** The server answered, but refused the WebSocket upgrade (401, 403, 404, 400, 503, ...). */
  UPGRADE;

  /** The label used in metrics and status output. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
