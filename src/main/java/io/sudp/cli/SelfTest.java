package io.sudp.cli;

import io.sudp.config.HostPort;
import io.sudp.config.SudpConfig;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows a newcomer that the tunnel works: sends a datagram through the first tunnel that leads to
 * the built-in echo service and reports whether, and how fast, it came back.
 */
final class SelfTest {
  private static final Logger LOG = LoggerFactory.getLogger(SelfTest.class);
  private static final int ATTEMPTS = 30;
  private static final int WAIT_MS = 500;

  private SelfTest() {}

  /**
   * @param listenAddress the address a tunnel listens on, by name (port 0 resolved)
   */
  static void runInBackground(SudpConfig config, Function<String, HostPort> listenAddress) {
    String echo = config.echo().listen().toString();
    config.client().tunnels().stream()
        .filter(tunnel -> tunnel.destination().toString().equals(echo))
        .findFirst()
        .ifPresent(
            tunnel -> {
              Thread thread =
                  new Thread(
                      () -> probe(tunnel.name(), listenAddress.apply(tunnel.name())),
                      "sudp-self-test");
              thread.setDaemon(true);
              thread.start();
            });
  }

  private static void probe(String tunnel, HostPort listen) {
    InetSocketAddress target = new InetSocketAddress(listen.host(), listen.port());
    byte[] probe = "hello through sudp".getBytes(StandardCharsets.US_ASCII);
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.connect(target);
      socket.setSoTimeout(WAIT_MS);
      byte[] reply = new byte[probe.length + 1];
      for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
        long sent = System.nanoTime();
        socket.send(new DatagramPacket(probe, probe.length));
        try {
          DatagramPacket packet = new DatagramPacket(reply, reply.length);
          socket.receive(packet);
          if (Arrays.equals(probe, 0, probe.length, reply, 0, packet.getLength())) {
            LOG.info(
                "self-test: a datagram sent to {} came back from the echo service through the"
                    + " tunnel in {} us. Try it: echo hello | nc -u -w1 {} {}",
                target,
                (System.nanoTime() - sent) / 1000,
                listen.host(),
                listen.port());
            return;
          }
        } catch (SocketTimeoutException e) {
          // no reply yet: send another
        } catch (PortUnreachableException e) {
          Thread.sleep(WAIT_MS); // the echo service is not bound yet
        }
      }
      LOG.warn("self-test: no reply through tunnel {} after {} attempts", tunnel, ATTEMPTS);
    } catch (IOException e) {
      LOG.warn("self-test: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
