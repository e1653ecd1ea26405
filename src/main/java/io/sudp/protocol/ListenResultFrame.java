package io.sudp.protocol;

import io.netty.buffer.ByteBuf;

/**
 * Version 2, server to client: the answer to a LISTEN, with the port listened on (0 when refused).
 */
public record ListenResultFrame(int listenId, ListenResult result, int port) implements Frame {
  public ListenResultFrame {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port " + port + " is not in 0..65535");
    }
  }

  @Override
  public int flowId() {
    return listenId;
  }

  @Override
  public int encodedLength() {
    return 1 + 4 + 1 + 2;
  }

  @Override
  public void encodeTo(ByteBuf out) {
    out.writeByte(FrameType.LISTEN_RESULT.code());
    out.writeInt(listenId);
    out.writeByte(result.code());
    out.writeShort(port);
  }

  static ListenResultFrame decode(int listenId, ByteBuf in) throws ProtocolException {
    FrameCodec.require(in, 3, "listen result");
    ListenResult result = ListenResult.ofCode(in.readUnsignedByte());
    return new ListenResultFrame(listenId, result, in.readUnsignedShort());
  }
}
