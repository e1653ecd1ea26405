package io.sudp.protocol;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one WebSocket binary message into its frames. Every length is checked here, once, so
 * nothing past the codec sees an unchecked length; any violation is a {@link ProtocolException}.
 */
public final class FrameCodec {
  private FrameCodec() {}

  /** Decodes all frames of a message; a message with no frame, or with trailing bytes, is bad. */
  public static List<Frame> decode(ByteBuf message) throws ProtocolException {
    if (message.readableBytes() > Limits.MAX_MESSAGE) {
      throw new ProtocolException("message of " + message.readableBytes() + " bytes is too big");
    }
    if (!message.isReadable()) {
      throw new ProtocolException("empty message");
    }
    List<Frame> frames = new ArrayList<>(4);
    while (message.isReadable()) {
      frames.add(decodeOne(message));
    }
    return frames;
  }

  private static Frame decodeOne(ByteBuf in) throws ProtocolException {
    int type = in.readUnsignedByte();
    require(in, 4, "flow id");
    int flowId = in.readInt();
    if (type == FrameType.SESSION.code()) {
      if (flowId != 0) {
        throw new ProtocolException("a session frame has flow id 0");
      }
      return SessionFrame.decode(readUnsignedByte(in, "session flags"));
    }
    if (flowId == 0) {
      throw new ProtocolException("flow id 0 is reserved");
    }
    if (type == FrameType.DATA.code()) {
      require(in, 6, "data header");
      int seq = in.readInt();
      int length = in.readUnsignedShort();
      if (length > Limits.MAX_DATAGRAM) {
        throw new ProtocolException(
            "datagram of " + length + " bytes exceeds " + Limits.MAX_DATAGRAM);
      }
      require(in, length, "datagram");
      byte[] payload = new byte[length];
      in.readBytes(payload);
      return new DataFrame(flowId, seq, payload);
    }
    if (type == FrameType.OPEN.code()) {
      Destination destination = Destination.decode(in);
      require(in, 4, "first sequence number");
      return new OpenFrame(flowId, destination, in.readInt());
    }
    if (type == FrameType.CLOSE.code()) {
      return new CloseFrame(flowId, FlowCloseReason.ofCode(readUnsignedByte(in, "close reason")));
    }
    throw new ProtocolException("unknown frame type " + type);
  }

  static int readUnsignedByte(ByteBuf in, String what) throws ProtocolException {
    require(in, 1, what);
    return in.readUnsignedByte();
  }

  static void require(ByteBuf in, int length, String what) throws ProtocolException {
    if (in.readableBytes() < length) {
      throw new ProtocolException(
          "truncated " + what + ": need " + length + " bytes, have " + in.readableBytes());
    }
  }
}
