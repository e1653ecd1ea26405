package io.sudp.destination;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The addresses of this host's own interfaces, each a special block ("this host"): a server on a
 * public address must not relay to its own services there (a management port, daemons bound to all
 * addresses) through a wide rule. Enumerating interfaces is too slow for a flow open on an event
 * loop, so checks read a snapshot; addresses come and go (DHCP, containers), so the runtime renews
 * it with {@link #refresh()} every few seconds, off the event loops.
 */
public final class OwnAddresses {
  private final Supplier<Set<InetAddress>> source;
  private volatile Set<InetAddress> snapshot;

  /** Takes the first snapshot from {@code source} at once. */
  public OwnAddresses(Supplier<Set<InetAddress>> source) {
    this.source = source;
    refresh();
  }

  /** The addresses of all interfaces, up or down. */
  public static OwnAddresses ofInterfaces() {
    return new OwnAddresses(OwnAddresses::interfaceAddresses);
  }

  /** Takes a new snapshot; blocks while the interfaces are enumerated. */
  public void refresh() {
    snapshot = Set.copyOf(source.get());
  }

  /** The "this host" block of {@code address} (a /32 or /128), or null if it is not ours. */
  SpecialRanges.Block blockOf(InetAddress address) {
    if (!snapshot.contains(address)) {
      return null;
    }
    byte[] bytes = address.getAddress();
    return new SpecialRanges.Block("this host", bytes, bytes.length * 8);
  }

  static Set<InetAddress> interfaceAddresses() {
    try {
      return NetworkInterface.networkInterfaces()
          .flatMap(each -> Stream.concat(Stream.of(each), each.subInterfaces()))
          .flatMap(NetworkInterface::inetAddresses)
          .collect(Collectors.toSet());
    } catch (SocketException e) {
      throw new UncheckedIOException(e);
    }
  }
}
