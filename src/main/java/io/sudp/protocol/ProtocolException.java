package io.sudp.protocol;

/**
 * A message that breaks wire protocol version 1. Decoding stops at the first violation; the peer
 * that sent it is disconnected with {@link CloseCodes#PROTOCOL_ERROR}.
 */
public final class ProtocolException extends Exception {
  public ProtocolException(String message) {
    super(message, null, false, false);
  }
}
