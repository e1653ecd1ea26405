package io.sudp.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.util.NetUtil;
import java.nio.charset.StandardCharsets;

/**
 * Where a flow's datagrams go: an IP address literal or a host name the server resolves, and a
 * port. Parsed from {@code host:port} or {@code [v6]:port}.
 */
public record Destination(String host, int port) {
  private static final int IPV4 = 4;
  private static final int IPV6 = 6;
  private static final int NAME = 3;

  public Destination {
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port " + port + " is not in 1..65535");
    }
    if (host.isEmpty() || host.length() > Limits.MAX_HOST_NAME) {
      throw new IllegalArgumentException("host name must have 1 to 253 characters");
    }
  }

  /** Parses {@code host:port}, {@code a.b.c.d:port} or {@code [v6]:port}. */
  public static Destination parse(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("'" + text + "' is not host:port");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.indexOf(':') >= 0) {
      throw new IllegalArgumentException("'" + text + "': write IPv6 addresses as [addr]:port");
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "': port is not a number");
    }
    return new Destination(host, port);
  }

  /** True when the host is an IP literal and needs no name resolution. */
  public boolean isAddressLiteral() {
    return NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host);
  }

  int encodedLength() {
    if (NetUtil.isValidIpV4Address(host)) {
      return 1 + 4 + 2;
    }
    if (NetUtil.isValidIpV6Address(host)) {
      return 1 + 16 + 2;
    }
    return 1 + 1 + host.getBytes(StandardCharsets.US_ASCII).length + 2;
  }

  void encodeTo(ByteBuf out) {
    byte[] address = NetUtil.createByteArrayFromIpAddressString(host);
    if (address != null) {
      out.writeByte(address.length == 4 ? IPV4 : IPV6);
      out.writeBytes(address);
    } else {
      byte[] name = host.getBytes(StandardCharsets.US_ASCII);
      out.writeByte(NAME);
      out.writeByte(name.length);
      out.writeBytes(name);
    }
    out.writeShort(port);
  }

  static Destination decode(ByteBuf in) throws ProtocolException {
    int kind = FrameCodec.readUnsignedByte(in, "destination kind");
    String host;
    switch (kind) {
      case IPV4, IPV6 -> {
        byte[] address = new byte[kind == IPV4 ? 4 : 16];
        FrameCodec.require(in, address.length, "destination address");
        in.readBytes(address);
        host = NetUtil.bytesToIpAddress(address);
      }
      case NAME -> {
        int length = FrameCodec.readUnsignedByte(in, "host name length");
        if (length == 0 || length > Limits.MAX_HOST_NAME) {
          throw new ProtocolException(
              "destination host name of "
                  + length
                  + " characters: 1 to "
                  + Limits.MAX_HOST_NAME
                  + " allowed");
        }
        FrameCodec.require(in, length, "destination host name");
        host = in.readCharSequence(length, StandardCharsets.US_ASCII).toString();
        if (!isHostName(host)) {
          throw new ProtocolException("destination host name is not a valid DNS name");
        }
      }
      default -> throw new ProtocolException("unknown destination kind " + kind);
    }
    FrameCodec.require(in, 2, "destination port");
    int port = in.readUnsignedShort();
    if (port == 0) {
      throw new ProtocolException("destination port 0");
    }
    return new Destination(host, port);
  }

  /** Decodes an address that must be an IP literal: a listen address, a sender. */
  static Destination decodeAddress(ByteBuf in, String what) throws ProtocolException {
    Destination address = decode(in);
    if (!address.isAddressLiteral()) {
      throw new ProtocolException("a " + what + " address is an IP address, not a name");
    }
    return address;
  }

  private static boolean isHostName(String host) {
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '.'
              || c == '_';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
