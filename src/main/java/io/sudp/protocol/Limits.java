package io.sudp.protocol;

/** Hard limits of the wire protocol, shared by encoder, decoder and both tunnel ends. */
public final class Limits {
  /** The largest UDP payload an IPv4 datagram can carry; the tunnel carries no larger one. */
  public static final int MAX_DATAGRAM = 65_507;

  /** The longest destination host name an OPEN frame may carry (DNS limit). */
  public static final int MAX_HOST_NAME = 253;

  /** Size of a DATA frame's header: type, flow id, sequence number, length. */
  public static final int DATA_HEADER = 1 + 4 + 4 + 2;

  /** The largest WebSocket message either end sends or accepts: one maximal DATA frame. */
  public static final int MAX_MESSAGE = 128 * 1024;

  /**
   * Version 2: flow ids with this bit set are assigned by the server (reverse flows), the others by
   * the client.
   */
  public static final int REVERSE_FLOW_BIT = 0x8000_0000;

  private Limits() {}
}
