package io.sudp.camel;

import io.netty.buffer.ByteBuf;
import io.sudp.ops.RateLimitedLog;
import io.sudp.ops.TrafficCounters;
import io.sudp.protocol.CloseCodes;
import io.sudp.protocol.FrameCodec;
import io.sudp.protocol.ProtocolException;
import io.sudp.transport.PeerConnection;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.LoggerFactory;

/**
 * The framing step of the WebSocket-to-UDP direction: turns a WebSocket message into its list of
 * frames. A message that breaks the protocol is counted, logged at a bounded rate, and its
 * connection is closed with 1002; the body becomes an empty list, so nothing else is touched.
 */
public final class FrameDecoding implements Processor {
  private final TrafficCounters counters;
  private final RateLimitedLog log = new RateLimitedLog(LoggerFactory.getLogger(FrameDecoding.class));

  public FrameDecoding(TrafficCounters counters) {
    this.counters = counters;
  }

  @Override
  public void process(Exchange exchange) {
    ByteBuf message = exchange.getMessage().getBody(ByteBuf.class);
    try {
      exchange.getMessage().setBody(FrameCodec.decode(message));
    } catch (ProtocolException e) {
      counters.malformedMessage();
      PeerConnection peer = exchange.getMessage().getHeader(SudpEndpoint.PEER, PeerConnection.class);
      log.warn("closing {}: malformed message: {}", peer, e.getMessage());
      peer.close(CloseCodes.PROTOCOL_ERROR, "malformed message");
      exchange.getMessage().setBody(List.of());
    }
  }
}
