package io.sudp.protocol;

import io.netty.buffer.ByteBuf;

/** Ends a flow, in either direction, and says why. */
public record CloseFrame(int flowId, FlowCloseReason reason) implements Frame {
  @Override
  public int encodedLength() {
    return 1 + 4 + 1;
  }

  @Override
  public void encodeTo(ByteBuf out) {
    out.writeByte(FrameType.CLOSE.code());
    out.writeInt(flowId);
    out.writeByte(reason.code());
  }
}
