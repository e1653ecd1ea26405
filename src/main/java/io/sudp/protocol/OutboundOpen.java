package io.sudp.protocol;

import io.netty.buffer.ByteBuf;

/** An OPEN on its way to the WebSocket: it tells the server the flow's next sequence number. */
public record OutboundOpen(int flowId, Destination destination, FlowSequence sequence)
    implements Frame {
  @Override
  public int encodedLength() {
    return OpenFrame.encodedLength(destination);
  }

  @Override
  public void encodeTo(ByteBuf out) {
    OpenFrame.encode(out, flowId, destination, sequence.peek());
  }
}
