package io.sudp.protocol;

import io.netty.buffer.ByteBuf;

/**
 * The server's first frame on every connection: whether it resumed the client's session (its flows,
 * their UDP sockets and sequence numbers carried on) or started a new one. Not tied to a flow.
 */
public record SessionFrame(boolean resumed) implements Frame {
  private static final int RESUMED = 0x01;

  @Override
  public int flowId() {
    return 0;
  }

  @Override
  public int encodedLength() {
    return 1 + 4 + 1;
  }

  @Override
  public void encodeTo(ByteBuf out) {
    out.writeByte(FrameType.SESSION.code());
    out.writeInt(0);
    out.writeByte(resumed ? RESUMED : 0);
  }

  static SessionFrame decode(int flags) {
    return new SessionFrame((flags & RESUMED) != 0);
  }
}
