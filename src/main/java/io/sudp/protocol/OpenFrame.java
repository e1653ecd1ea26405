package io.sudp.protocol;

import io.netty.buffer.ByteBuf;

/** Asks the server to open a flow towards a destination; sent by the client before the flow's data. */
public record OpenFrame(int flowId, Destination destination) implements Frame {
  @Override
  public int encodedLength() {
    return 1 + 4 + destination.encodedLength();
  }

  @Override
  public void encodeTo(ByteBuf out) {
    out.writeByte(FrameType.OPEN.code());
    out.writeInt(flowId);
    destination.encodeTo(out);
  }
}
