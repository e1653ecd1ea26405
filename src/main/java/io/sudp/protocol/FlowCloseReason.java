package io.sudp.protocol;

/** Why a flow was closed, carried in a CLOSE frame; the byte values are part of the protocol. */
public enum FlowCloseReason {
  /** The flow ended normally (idle on the client, or the client asked). */
  NORMAL(0),
  /** The server expired the flow after its idle timeout. */
  IDLE(1),
  /** The destination is not on the server's allowlist. */
  FORBIDDEN(2),
  /** The destination host name could not be resolved by the server. */
  UNRESOLVABLE(3),
  /** The server's per-connection flow limit is reached. */
  FLOW_LIMIT(4),
  /** The server knows no flow with that id (it expired or was never opened). */
  UNKNOWN_FLOW(5),
  /** The server could not open a UDP socket towards the destination. */
  SOCKET_ERROR(6),
  /** Version 2, from the client: an ACCEPT named a listener it does not know. */
  UNKNOWN_LISTENER(7);

  private static final FlowCloseReason[] BY_CODE = values();

  private final int code;

  FlowCloseReason(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** Unknown codes from a newer peer are read as {@link #NORMAL}: the flow is closed either way. */
  public static FlowCloseReason ofCode(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : NORMAL;
  }
}
