package io.sudp.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports nobody is using right now, for configs that must name a port before binding it. Each is
 * bound once to see that it is free, then let go, so it is picked below the kernel's range of
 * ephemeral ports ({@code net.ipv4.ip_local_port_range}) where there is room: a socket bound to
 * port 0 meanwhile (a flow's socket, a connection's local end) can then not take it before the test
 * binds it. One port is never handed out twice in a test JVM, so two configs of one test cannot get
 * the same port while neither is bound yet.
 */
public final class FreePorts {
  private static final Set<Integer> GIVEN_UDP = ConcurrentHashMap.newKeySet();
  private static final Set<Integer> GIVEN_TCP = ConcurrentHashMap.newKeySet();

  /** The lowest port handed out; below it, well-known and registered services. */
  private static final int LOWEST = 10_000;

  /** The first ephemeral port, or {@link #LOWEST} when there is no room below the range. */
  private static final int EPHEMERAL_START = ephemeralStart();

  private FreePorts() {}

  public static int udp() {
    for (int attempt = 0; attempt < 1000; attempt++) {
      try (DatagramSocket socket =
          new DatagramSocket(new InetSocketAddress("127.0.0.1", candidate()))) {
        if (GIVEN_UDP.add(socket.getLocalPort())) {
          return socket.getLocalPort();
        }
      } catch (BindException taken) {
        // in use: another candidate
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalStateException("no UDP port that was not handed out before");
  }

  public static int tcp() {
    for (int attempt = 0; attempt < 1000; attempt++) {
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), candidate()), 1);
        if (GIVEN_TCP.add(socket.getLocalPort())) {
          return socket.getLocalPort();
        }
      } catch (BindException taken) {
        // in use: another candidate
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalStateException("no TCP port that was not handed out before");
  }

  /** A random port below the ephemeral range; 0 (the kernel's choice) without room there. */
  private static int candidate() {
    return EPHEMERAL_START - LOWEST < 1000
        ? 0
        : ThreadLocalRandom.current().nextInt(LOWEST, EPHEMERAL_START);
  }

  private static int ephemeralStart() {
    try {
      String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
      return Integer.parseInt(range.split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return LOWEST; // not Linux, or unreadable: the kernel's choice
    }
  }
}
