package io.sudp.camel;

import io.netty.buffer.ByteBuf;
import io.sudp.ops.ProtocolViolation;
import io.sudp.protocol.FrameCodec;
import io.sudp.protocol.ProtocolException;
import io.sudp.transport.PeerConnection;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The framing step of the WebSocket-to-UDP direction: turns a WebSocket message into its list of
 * frames. A message that breaks the protocol closes its connection (counted, logged at a bounded
 * rate); it and whatever the connection sent after it become an empty list, so nothing else is
 * touched. Nothing a peer sends raises past this step.
 */
public final class FrameDecoding implements Processor {
  @Override
  public void process(Exchange exchange) {
    PeerConnection peer = Headers.peer(exchange);
    if (peer.isClosing()) {
      exchange.getMessage().setBody(List.of());
      return;
    }
    ByteBuf message = exchange.getMessage().getBody(ByteBuf.class);
    try {
      exchange.getMessage().setBody(FrameCodec.decode(message, peer.version()));
    } catch (ProtocolException | RuntimeException e) {
      peer.violated(ProtocolViolation.MALFORMED, "malformed message: " + e.getMessage());
      exchange.getMessage().setBody(List.of());
    }
  }
}
