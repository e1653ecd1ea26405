package io.sudp.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.ops.DropCause;
import io.sudp.ops.TrafficCounters;
import io.sudp.runtime.Role;
import io.sudp.runtime.TunnelRuntime;
import io.sudp.testing.Configs;
import io.sudp.testing.FreePorts;
import io.sudp.testing.UdpApp;
import io.sudp.testing.UdpEchoServer;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A real server and a real client, each its own camel-main runtime, on loopback sockets. */
class TunnelEndToEndTest {
  @TempDir static Path dir;

  static UdpEchoServer echo;
  static DatagramSocket forbiddenDestination;
  static TunnelRuntime server;
  static TunnelRuntime client;
  static int echoTunnel;
  static int echoTunnelV6;
  static int forbiddenTunnel;

  @BeforeAll
  static void start() throws Exception {
    echo = new UdpEchoServer();
    forbiddenDestination = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    int ws = FreePorts.tcp();
    server =
        new TunnelRuntime(
            Configs.load(
                dir,
                "server.yaml",
                """
        server:
          listen: 127.0.0.1:%d
          allow:
            - %s
        """
                    .formatted(ws, echo.address())),
            EnumSet.of(Role.SERVER));
    server.start();
    echoTunnel = FreePorts.udp();
    echoTunnelV6 = FreePorts.udp();
    forbiddenTunnel = FreePorts.udp();
    client =
        new TunnelRuntime(
            Configs.load(
                dir,
                "client.yaml",
                """
        client:
          server: ws://127.0.0.1:%d/sudp
          tunnels:
            - name: echo
              listen: 127.0.0.1:%d
              destination: %s
            - name: echo6
              listen: "[::1]:%d"
              destination: %s
            - name: forbidden
              listen: 127.0.0.1:%d
              destination: 127.0.0.1:%d
        """
                    .formatted(
                        ws,
                        echoTunnel,
                        echo.address(),
                        echoTunnelV6,
                        echo.address(),
                        forbiddenTunnel,
                        forbiddenDestination.getLocalPort())),
            EnumSet.of(Role.CLIENT));
    client.start();
    await().until(() -> client.client().socket().isConnected());
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    server.close();
    echo.close();
    forbiddenDestination.close();
  }

  private static byte[] pattern(int length, long seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 64, 1200, 65_507})
  void carriesDatagramsByteExactToConnectedSockets(int length) throws IOException {
    byte[] payload = pattern(length, length);
    try (UdpApp app = new UdpApp(echoTunnel)) {
      assertThat(app.roundTrip(payload)).isEqualTo(payload);
    }
  }

  @Test
  void carriesEmptyDatagrams() throws IOException {
    try (UdpApp app = new UdpApp(echoTunnel, false)) {
      assertThat(app.roundTrip(new byte[0])).isEmpty();
      assertThat(app.roundTrip(new byte[] {42})).containsExactly(42);
      assertThat(app.roundTrip(new byte[0])).isEmpty();
    }
  }

  @Test
  void rejectsAndCountsADatagramOverTheLimit() throws IOException {
    TrafficCounters counters = client.client().counters();
    long before = counters.drops(DropCause.OVERSIZED);
    // Counted by its bytes, not by the echo's total, which a late copy another test's round
    // trip resent may still raise: any part of the big datagram would show.
    byte[] big = new byte[65_508];
    Arrays.fill(big, (byte) 0x5a);
    AtomicInteger partsOfTheBigOne = new AtomicInteger();
    echo.observe(
        payload -> {
          if (payload.length >= 16 && Arrays.equals(payload, 0, 16, big, 0, 16)) {
            partsOfTheBigOne.incrementAndGet();
          }
        });
    try (DatagramSocket app = new DatagramSocket(new InetSocketAddress("::1", 0))) {
      InetSocketAddress tunnel = new InetSocketAddress("::1", echoTunnelV6);
      app.send(new DatagramPacket(big, big.length, tunnel));
      await().until(() -> counters.drops(DropCause.OVERSIZED) == before + 1);

      byte[] small = "after the big one".getBytes(StandardCharsets.US_ASCII);
      app.send(new DatagramPacket(small, small.length, tunnel));
      DatagramPacket reply = new DatagramPacket(new byte[65_536], 65_536);
      app.setSoTimeout(20_000); // sent once: no late copy to take for it
      app.receive(reply);
      assertThat(Arrays.copyOf(reply.getData(), reply.getLength())).isEqualTo(small);
    } finally {
      echo.observe(payload -> {});
    }
    // The small one went after the big one on the same flow: had any of it been sent, it came
    // first.
    assertThat(partsOfTheBigOne).hasValue(0);
  }

  @Test
  void refusesAForbiddenDestinationWithoutSendingAnything() throws IOException {
    TrafficCounters serverCounters = server.server().counters();
    long before = serverCounters.drops(DropCause.FORBIDDEN);
    try (UdpApp app = new UdpApp(forbiddenTunnel);
        UdpApp allowed = new UdpApp(echoTunnel)) {
      app.send("let me out".getBytes(StandardCharsets.US_ASCII));
      await().until(() -> serverCounters.drops(DropCause.FORBIDDEN) > before);
      // The client now drops this flow's datagrams itself.
      long clientBefore = client.client().counters().drops(DropCause.FORBIDDEN);
      await()
          .untilAsserted(
              () -> {
                app.send("again".getBytes(StandardCharsets.US_ASCII));
                assertThat(client.client().counters().drops(DropCause.FORBIDDEN))
                    .isGreaterThan(clientBefore);
              });
      // An allowed flow behind it still works, and proves the server handled everything before.
      assertThat(allowed.roundTrip(new byte[] {1, 2, 3})).containsExactly(1, 2, 3);
    }
    forbiddenDestination.setSoTimeout(1);
    DatagramPacket leaked = new DatagramPacket(new byte[100], 100);
    assertThat(receivesNothing(forbiddenDestination, leaked)).isTrue();
  }

  /**
   * Checks that replies arrive in strictly increasing sequence order: no reordering, no duplicates.
   */
  private static final class ReplyOrder {
    int count;
    int last = -1;

    void check(byte[] reply) {
      if (reply != null) {
        int seq = ByteBuffer.wrap(reply).getInt();
        assertThat(seq).isGreaterThan(last);
        last = seq;
        count++;
      }
    }
  }

  private static boolean receivesNothing(DatagramSocket socket, DatagramPacket packet)
      throws IOException {
    try {
      socket.receive(packet);
      return false;
    } catch (SocketTimeoutException nothingCame) {
      return true;
    }
  }

  @Test
  void keepsOneFlowInOrderWithoutDuplicatesUnderLoad() throws Exception {
    int count = 100_000;
    List<Integer> arrived = new ArrayList<>(count);
    echo.observe(
        payload -> {
          if (payload.length == 64) {
            synchronized (arrived) { // a straggler may come while the list is checked
              arrived.add(ByteBuffer.wrap(payload).getInt());
            }
          }
        });
    try (UdpApp app = new UdpApp(echoTunnel)) {
      byte[] datagram = new byte[64];
      ReplyOrder replies = new ReplyOrder();
      int inFlight = 0;
      for (int seq = 0; seq < count; seq++) {
        ByteBuffer.wrap(datagram).putInt(seq);
        app.send(datagram);
        inFlight++;
        // A window of datagrams in flight keeps the load high and the socket buffers from
        // overflowing.
        while (inFlight >= 256) {
          byte[] reply = app.receive(1_000);
          inFlight = reply == null ? 0 : inFlight - 1; // on a timeout the rest was lost
          replies.check(reply);
        }
      }
      byte[] reply;
      while ((reply = app.receive(1_000)) != null) {
        replies.check(reply);
      }
      assertThat(replies.count).isGreaterThan(count / 2);
    } finally {
      echo.observe(payload -> {});
    }
    synchronized (arrived) {
      for (int i = 1; i < arrived.size(); i++) {
        assertThat(arrived.get(i)).isGreaterThan(arrived.get(i - 1));
      }
    }
    assertThat(arrived.size()).isGreaterThan(count / 2);
  }
}
