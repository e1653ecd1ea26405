package io.sudp.protocol;

import io.netty.buffer.ByteBuf;

/**
 * One UDP datagram of a flow. {@code seq} counts the flow's datagrams in one direction, starting
 * at 0 and wrapping at 2^32, so the receiver can tell loss from reordering.
 */
public record DataFrame(int flowId, int seq, byte[] payload) implements Frame {
  public DataFrame {
    if (payload.length > Limits.MAX_DATAGRAM) {
      throw new IllegalArgumentException(
          "datagram of " + payload.length + " bytes exceeds " + Limits.MAX_DATAGRAM);
    }
  }

  @Override
  public int encodedLength() {
    return Limits.DATA_HEADER + payload.length;
  }

  @Override
  public void encodeTo(ByteBuf out) {
    out.writeByte(FrameType.DATA.code());
    out.writeInt(flowId);
    out.writeInt(seq);
    out.writeShort(payload.length);
    out.writeBytes(payload);
  }
}
