package io.sudp.camel;

import io.sudp.protocol.Frame;
import io.sudp.transport.FrameSender;
import io.sudp.transport.PeerConnection;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/**
 * Queues the exchange's {@link Frame}, or its list of frames, for the WebSocket peer without
 * blocking. A null body means the route decided to send nothing (the datagram was dropped and
 * counted upstream).
 */
final class SudpProducer extends DefaultProducer {
  private final FrameSender sender;

  SudpProducer(SudpEndpoint endpoint, FrameSender sender) {
    super(endpoint);
    this.sender = sender;
  }

  @Override
  public void process(Exchange exchange) {
    PeerConnection peer = Headers.peer(exchange);
    Object body = exchange.getMessage().getBody();
    if (body instanceof List<?> frames) {
      for (Object frame : frames) {
        sender.send((Frame) frame, peer);
      }
    } else if (body instanceof Frame frame) {
      sender.send(frame, peer);
    }
  }
}
