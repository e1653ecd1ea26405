package io.sudp.protocol;

import io.netty.buffer.ByteBuf;

/**
 * Asks the server to open a flow towards a destination; sent by the client before the flow's data.
 * {@code firstSeq} is the sequence number of the flow's next DATA frame.
 */
public record OpenFrame(int flowId, Destination destination, int firstSeq) implements Frame {
  @Override
  public int encodedLength() {
    return encodedLength(destination);
  }

  @Override
  public void encodeTo(ByteBuf out) {
    encode(out, flowId, destination, firstSeq);
  }

  static int encodedLength(Destination destination) {
    return 1 + 4 + destination.encodedLength() + 4;
  }

  static void encode(ByteBuf out, int flowId, Destination destination, int firstSeq) {
    out.writeByte(FrameType.OPEN.code());
    out.writeInt(flowId);
    destination.encodeTo(out);
    out.writeInt(firstSeq);
  }
}
