package io.sudp.protocol;

/** WebSocket close codes SUDP uses, so the peer can tell a shutdown from its own mistake. */
public final class CloseCodes {
  /** The client is leaving for good: the server ends its session at once. */
  public static final short NORMAL = 1000;

  /** Orderly close: the client or server is shutting down. */
  public static final short GOING_AWAY = 1001;

  /** A malformed or unknown frame was received. */
  public static final short PROTOCOL_ERROR = 1002;

  /** A text message was received; the protocol is binary only. */
  public static final short UNSUPPORTED_DATA = 1003;

  /** A message larger than {@link Limits#MAX_MESSAGE} was received. */
  public static final short MESSAGE_TOO_BIG = 1009;

  /** The server has no room for the client's session now; the client may try again later. */
  public static final short TRY_AGAIN_LATER = 1013;

  /** An operator closed the connection (JMX); the client may reconnect. */
  public static final short POLICY_VIOLATION = 1008;

  private CloseCodes() {}
}
