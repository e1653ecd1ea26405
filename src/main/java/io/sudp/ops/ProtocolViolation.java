package io.sudp.ops;

import java.util.Locale;

/**
 * How a peer broke the protocol. Each closes the peer's connection with the WebSocket close code
 * that names it and ends its session: a peer that breaks the rules is not trusted to resume.
 */
public enum ProtocolViolation {
  /** A SUDP frame that does not decode, or one that makes no sense where it came (1002). */
  MALFORMED((short) 1002),
  /** A WebSocket message or frame over the size limit (1009). */
  OVERSIZED_MESSAGE((short) 1009),
  /** A WebSocket framing error: unmasked frame, reserved bits or opcode, bad control frame. */
  WEBSOCKET((short) 1002),
  /** A text message: the protocol is binary only (1003). */
  TEXT_MESSAGE((short) 1003),
  /** A flow's sequence numbers jumped within one connection, where TCP loses nothing (1002). */
  SEQUENCE_JUMP((short) 1002);

  private final short closeCode;

  ProtocolViolation(short closeCode) {
    this.closeCode = closeCode;
  }

  /** The WebSocket close code the connection is closed with. */
  public short closeCode() {
    return closeCode;
  }

  /** The label used in metrics and status output. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
