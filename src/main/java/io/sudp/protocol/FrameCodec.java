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

  /**
   * Decodes all frames of a message in the version its connection speaks; a message with no frame,
   * with trailing bytes, or with a frame of a later version, is bad.
   */
  public static List<Frame> decode(ByteBuf message, ProtocolVersion version)
      throws ProtocolException {
    if (message.readableBytes() > Limits.MAX_MESSAGE) {
      throw new ProtocolException("message of " + message.readableBytes() + " bytes is too big");
    }
    if (!message.isReadable()) {
      throw new ProtocolException("empty message");
    }
    List<Frame> frames = new ArrayList<>(4);
    while (message.isReadable()) {
      frames.add(decodeOne(message, version));
    }
    return frames;
  }

  private static Frame decodeOne(ByteBuf in, ProtocolVersion version) throws ProtocolException {
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
      if (version.hasReverseTunnels() && (flowId & Limits.REVERSE_FLOW_BIT) != 0) {
        throw new ProtocolException("a client's flow id has its top bit clear");
      }
      Destination destination = Destination.decode(in);
      require(in, 4, "first sequence number");
      return new OpenFrame(flowId, destination, in.readInt());
    }
    if (type == FrameType.CLOSE.code()) {
      return new CloseFrame(flowId, FlowCloseReason.ofCode(readUnsignedByte(in, "close reason")));
    }
    if (version.hasReverseTunnels()) {
      Frame reverse = decodeReverse(type, flowId, in);
      if (reverse != null) {
        return reverse;
      }
    }
    throw new ProtocolException("unknown frame type " + type + " in " + version.subprotocol());
  }

  /** The frames version 2 adds, or null for a type it does not know either. */
  private static Frame decodeReverse(int type, int id, ByteBuf in) throws ProtocolException {
    if (type == FrameType.ACCEPT.code()) {
      return AcceptFrame.decode(id, in);
    }
    boolean listenFrame =
        type == FrameType.LISTEN.code()
            || type == FrameType.LISTEN_RESULT.code()
            || type == FrameType.UNLISTEN.code();
    if (!listenFrame) {
      return null;
    }
    if ((id & Limits.REVERSE_FLOW_BIT) != 0) {
      throw new ProtocolException("a listen id has its top bit clear");
    }
    if (type == FrameType.LISTEN.code()) {
      return ListenFrame.decode(id, in);
    }
    if (type == FrameType.LISTEN_RESULT.code()) {
      return ListenResultFrame.decode(id, in);
    }
    return new UnlistenFrame(id);
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
