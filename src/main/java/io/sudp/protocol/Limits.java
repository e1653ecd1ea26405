package io.sudp.protocol;

/** Hard limits of wire protocol version 1, shared by encoder, decoder and both tunnel ends. */
public final class Limits {
  /** The largest UDP payload an IPv4 datagram can carry; the tunnel carries no larger one. */
  public static final int MAX_DATAGRAM = 65_507;

  /** The longest destination host name an OPEN frame may carry (DNS limit). */
  public static final int MAX_HOST_NAME = 253;

  /** Size of a DATA frame's header: type, flow id, sequence number, length. */
  public static final int DATA_HEADER = 1 + 4 + 4 + 2;

  /** The largest WebSocket message either end sends or accepts: one maximal DATA frame. */
  public static final int MAX_MESSAGE = 128 * 1024;

  /** The WebSocket subprotocol that names this protocol version in the handshake. */
  public static final String SUBPROTOCOL = "sudp.v1";

  private Limits() {}
}
