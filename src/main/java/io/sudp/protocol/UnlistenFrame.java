package io.sudp.protocol;

import io.netty.buffer.ByteBuf;

/** Version 2, client to server: the client no longer wants the listener {@code listenId}. */
public record UnlistenFrame(int listenId) implements Frame {
  @Override
  public int flowId() {
    return listenId;
  }

  @Override
  public int encodedLength() {
    return 1 + 4;
  }

  @Override
  public void encodeTo(ByteBuf out) {
    out.writeByte(FrameType.UNLISTEN.code());
    out.writeInt(listenId);
  }
}
