package io.sudp.ops;

/** Why a datagram did not reach the other end of the tunnel; every drop is counted by one cause. */
public enum DropCause {
  /** Larger than 65,507 bytes: UDP over IPv4 cannot carry it, so the tunnel refuses it. */
  OVERSIZED,
  /** A bounded write queue was full (the WebSocket or the receiver could not keep up). */
  QUEUE_FULL,
  /** Waited in the client's queue (while disconnected) longer than its age limit. */
  EXPIRED,
  /** The destination is not on the server's allowlist. */
  FORBIDDEN,
  /** The destination host name did not resolve. */
  UNRESOLVABLE,
  /** The per-connection, per-user or server-wide flow limit was reached. */
  FLOW_LIMIT,
  /** Too many destination names were being resolved at once (in the session or the server). */
  RESOLVE_LIMIT,
  /** Over the user's datagrams or bytes per second. */
  RATE_LIMITED,
  /** Data for a flow the receiver does not know (expired or never opened). */
  UNKNOWN_FLOW,
  /** The operating system refused to send the datagram. */
  SEND_ERROR,
  /** Queued for a WebSocket connection that closed before it could be sent. */
  CONNECTION_LOST,
  /** Still queued when a shutdown's drain timeout ran out. */
  SHUTDOWN,
  /** Arrived on a flow's socket from an address other than the flow's destination. */
  UNSOLICITED,
  /** The route that carries it was stopped (for example from JMX). */
  ROUTE_STOPPED,
  /**
   * Dropped by the kernel before SUDP could read it: the receive buffer of a tunnel's listening
   * socket (client) or of a flow's socket (server) was full. Read from the socket's own drop
   * counter about once a second, since no datagram passes through SUDP to be counted.
   */
  RECEIVE_BUFFER_FULL;

  /** The label used in metrics and status output. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
