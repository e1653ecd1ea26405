package io.sudp.destination;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.util.List;

/**
 * Address blocks a tunnel server must not reach unless an allowlist entry names them (or a block
 * inside them) explicitly: the server's own host, its private networks and the like. A wide entry
 * such as {@code 0.0.0.0/0:53} or a host name that happens to resolve into one of them is not
 * enough, so the server cannot be turned against its own network.
 */
final class SpecialRanges {
  /** A block: its network bytes and prefix length. */
  record Block(String name, byte[] network, int prefix) {}

  private static final List<Block> BLOCKS =
      List.of(
          block("unspecified", "0.0.0.0", 8),
          block("loopback", "127.0.0.0", 8),
          block("private", "10.0.0.0", 8),
          block("shared address space", "100.64.0.0", 10),
          block("link-local", "169.254.0.0", 16),
          block("private", "172.16.0.0", 12),
          block("private", "192.168.0.0", 16),
          block("multicast", "224.0.0.0", 4),
          block("reserved", "240.0.0.0", 4),
          block("unspecified", "::", 128),
          block("loopback", "::1", 128),
          block("unique local", "fc00::", 7),
          block("link-local", "fe80::", 10),
          block("multicast", "ff00::", 8));

  private SpecialRanges() {}

  private static Block block(String name, String network, int prefix) {
    return new Block(name, NetUtil.createByteArrayFromIpAddressString(network), prefix);
  }

  /** The special block {@code address} is in, or null for an ordinary public address. */
  static Block of(InetAddress address) {
    byte[] bytes = address.getAddress();
    for (Block block : BLOCKS) {
      if (matches(block.network(), block.prefix(), bytes)) {
        return block;
      }
    }
    return null;
  }

  /** True if the first {@code prefix} bits of {@code candidate} are those of {@code network}. */
  static boolean matches(byte[] network, int prefix, byte[] candidate) {
    if (candidate.length != network.length) {
      return false;
    }
    int fullBytes = prefix / 8;
    for (int i = 0; i < fullBytes; i++) {
      if (candidate[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = 0xff << (8 - rest);
    return (candidate[fullBytes] & mask) == (network[fullBytes] & mask);
  }
}
