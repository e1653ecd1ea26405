package io.sudp.transport;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;

/**
 * Who a connection's client is: the address its per-source limits are keyed by ({@link #key}) and
 * how its log lines name it ({@code 203.0.113.7 (via 127.0.0.1:40312)} when a trusted proxy named
 * it). Kept on the connection's channel from its acceptance on.
 */
public final class ClientAddress {
  private static final AttributeKey<ClientAddress> ON_CHANNEL =
      AttributeKey.valueOf("sudp.client-address");

  private final InetAddress address;
  private final String key;
  private final String shown;

  private ClientAddress(InetAddress address, String key, String shown) {
    this.address = address;
    this.key = key;
    this.shown = shown;
  }

  /** The TCP peer at {@code remote} as its own client. */
  static ClientAddress peer(SocketAddress remote) {
    if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
      InetAddress address = normalized(inet.getAddress());
      return new ClientAddress(
          address, NetUtil.toAddressString(address), withPort(address, inet.getPort()));
    }
    String text = String.valueOf(remote);
    return new ClientAddress(null, text, text);
  }

  /** The client at {@code address} ({@code port} 0: not known) that this peer speaks for. */
  ClientAddress forwarded(InetAddress client, int port) {
    InetAddress address = normalized(client);
    String key = NetUtil.toAddressString(address);
    return new ClientAddress(
        address, key, (port > 0 ? withPort(address, port) : key) + " (via " + shown + ")");
  }

  /** The client of {@code channel}: as found when it was accepted, or named since. */
  static ClientAddress of(Channel channel) {
    ClientAddress known = channel.attr(ON_CHANNEL).get();
    return known != null ? known : peer(channel.remoteAddress());
  }

  /** Records {@code client} as the client of {@code channel}. */
  static void set(Channel channel, ClientAddress client) {
    channel.attr(ON_CHANNEL).set(client);
  }

  /** The address per-source limits count by: one spelling per address, never a port. */
  public String key() {
    return key;
  }

  /** The client's IP address, or null for a socket that has none. */
  InetAddress address() {
    return address;
  }

  /**
   * An IP address written as a literal (IPv4, or IPv6 without brackets or a zone), never looked up
   * by name; an IPv4-mapped IPv6 address as its IPv4 address. Null for anything else.
   */
  static InetAddress ipLiteral(String text) {
    if (text.isEmpty() || text.length() > 45 || text.indexOf('%') >= 0) {
      return null;
    }
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(text);
    if (bytes == null) {
      return null;
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      return null; // not for 4 or 16 bytes
    }
  }

  private static InetAddress normalized(InetAddress address) {
    try {
      return InetAddress.getByAddress(address.getAddress()); // IPv4-mapped → IPv4, no host name
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static String withPort(InetAddress address, int port) {
    String host = NetUtil.toAddressString(address);
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  @Override
  public String toString() {
    return shown;
  }
}
