package io.sudp.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ports nobody is using right now, for configs that must name a port before binding it. Each is
 * found by binding port 0 and then let go, so another program may take it before the test binds it
 * (rarely: the kernel picks ports at random). One port is never handed out twice in a test JVM, so
 * two configs of one test cannot get the same port while neither is bound yet.
 */
public final class FreePorts {
  private static final Set<Integer> GIVEN_UDP = ConcurrentHashMap.newKeySet();
  private static final Set<Integer> GIVEN_TCP = ConcurrentHashMap.newKeySet();

  private FreePorts() {}

  public static int udp() {
    for (int attempt = 0; attempt < 100; attempt++) {
      try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
        if (GIVEN_UDP.add(socket.getLocalPort())) {
          return socket.getLocalPort();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalStateException("no UDP port that was not handed out before");
  }

  public static int tcp() {
    for (int attempt = 0; attempt < 100; attempt++) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        if (GIVEN_TCP.add(socket.getLocalPort())) {
          return socket.getLocalPort();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalStateException("no TCP port that was not handed out before");
  }
}
