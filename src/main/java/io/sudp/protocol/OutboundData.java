package io.sudp.protocol;

import io.netty.buffer.ByteBuf;

/**
 * A datagram on its way to the WebSocket. It becomes a DATA frame when written, and only then takes
 * its sequence number from the flow's {@link FlowSequence}.
 */
public record OutboundData(int flowId, FlowSequence sequence, byte[] payload) implements Frame {
  public OutboundData {
    DataFrame.checkLength(payload);
  }

  @Override
  public int encodedLength() {
    return Limits.DATA_HEADER + payload.length;
  }

  @Override
  public void encodeTo(ByteBuf out) {
    DataFrame.encode(out, flowId, sequence.take(), payload);
  }
}
