package io.sudp.protocol;

import io.netty.buffer.ByteBuf;

/**
 * One UDP datagram of a flow, as received. {@code seq} counts the flow's datagrams in one
 * direction, starting at the OPEN's first number and wrapping at 2^32, so the receiver can tell
 * loss from reordering.
 */
public record DataFrame(int flowId, int seq, byte[] payload) implements Frame {
  public DataFrame {
    checkLength(payload);
  }

  static void checkLength(byte[] payload) {
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
    encode(out, flowId, seq, payload);
  }

  static void encode(ByteBuf out, int flowId, int seq, byte[] payload) {
    out.writeByte(FrameType.DATA.code());
    out.writeInt(flowId);
    out.writeInt(seq);
    out.writeShort(payload.length);
    out.writeBytes(payload);
  }
}
