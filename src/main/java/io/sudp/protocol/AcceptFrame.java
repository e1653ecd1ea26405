package io.sudp.protocol;

import io.netty.buffer.ByteBuf;

/**
 * Version 2, server to client: a new sender at one of the client's listeners, which the server
 * carries as reverse flow {@code flowId} (top bit set). {@code peer} is the sender's IP address and
 * port, so the client can name it; {@code firstSeq} numbers the flow's next DATA from the server.
 */
public record AcceptFrame(int flowId, int listenId, Destination peer, int firstSeq)
    implements Frame {
  public AcceptFrame {
    if (!peer.isAddressLiteral()) {
      throw new IllegalArgumentException("a peer is an IP address, not '" + peer.host() + "'");
    }
  }

  @Override
  public int encodedLength() {
    return 1 + 4 + 4 + peer.encodedLength() + 4;
  }

  @Override
  public void encodeTo(ByteBuf out) {
    out.writeByte(FrameType.ACCEPT.code());
    out.writeInt(flowId);
    out.writeInt(listenId);
    peer.encodeTo(out);
    out.writeInt(firstSeq);
  }

  static AcceptFrame decode(int flowId, ByteBuf in) throws ProtocolException {
    if ((flowId & Limits.REVERSE_FLOW_BIT) == 0) {
      throw new ProtocolException("a reverse flow id has its top bit set");
    }
    FrameCodec.require(in, 4, "listen id");
    int listenId = in.readInt();
    if (listenId == 0) {
      throw new ProtocolException("listen id 0 is reserved");
    }
    Destination peer = Destination.decodeAddress(in, "peer");
    FrameCodec.require(in, 4, "first sequence number");
    return new AcceptFrame(flowId, listenId, peer, in.readInt());
  }
}
