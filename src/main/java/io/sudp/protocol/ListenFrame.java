package io.sudp.protocol;

import io.netty.buffer.ByteBuf;

/**
 * Version 2, client to server: asks for a UDP listener on the server for a reverse tunnel. {@code
 * host} is an IP literal, or null for the server's own reverse bind address.
 */
public record ListenFrame(int listenId, String host, int port) implements Frame {
  private static final int DEFAULT_ADDRESS = 0;

  public ListenFrame {
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port " + port + " is not in 1..65535");
    }
    if (host != null && !new Destination(host, port).isAddressLiteral()) {
      throw new IllegalArgumentException("'" + host + "' is not an IP address");
    }
  }

  @Override
  public int flowId() {
    return listenId;
  }

  @Override
  public int encodedLength() {
    return 1 + 4 + (host == null ? 1 + 2 : new Destination(host, port).encodedLength());
  }

  @Override
  public void encodeTo(ByteBuf out) {
    out.writeByte(FrameType.LISTEN.code());
    out.writeInt(listenId);
    if (host == null) {
      out.writeByte(DEFAULT_ADDRESS);
      out.writeShort(port);
    } else {
      new Destination(host, port).encodeTo(out);
    }
  }

  static ListenFrame decode(int listenId, ByteBuf in) throws ProtocolException {
    FrameCodec.require(in, 1, "listen address kind");
    if (in.getUnsignedByte(in.readerIndex()) == DEFAULT_ADDRESS) {
      in.skipBytes(1);
      FrameCodec.require(in, 2, "listen port");
      int port = in.readUnsignedShort();
      if (port == 0) {
        throw new ProtocolException("listen port 0");
      }
      return new ListenFrame(listenId, null, port);
    }
    Destination address = Destination.decodeAddress(in, "listen");
    return new ListenFrame(listenId, address.host(), address.port());
  }
}
