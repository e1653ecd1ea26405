package io.sudp.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.client.ReverseTunnels;
import io.sudp.ops.DropCause;
import io.sudp.ops.Refusal;
import io.sudp.runtime.Role;
import io.sudp.runtime.TunnelRuntime;
import io.sudp.testing.CapturedLog;
import io.sudp.testing.Configs;
import io.sudp.testing.FreePorts;
import io.sudp.testing.Runtimes;
import io.sudp.testing.UdpApp;
import io.sudp.testing.UdpEchoServer;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reverse tunnels between a server and a client in this JVM: a port on the server whose datagrams
 * reach an echo on the client's side and come back from that port, and each refusal.
 */
class ReverseTunnelTest {
  @TempDir Path dir;

  private UdpEchoServer echo;
  private TunnelRuntime server;
  private TunnelRuntime client;
  private int ws;
  private int reversePort;

  @BeforeEach
  void start() throws Exception {
    echo = new UdpEchoServer();
    ws = FreePorts.tcp();
    reversePort = FreePorts.udp();
    server = startServer();
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    server.close();
    echo.close();
  }

  private TunnelRuntime startServer() throws Exception {
    return startServer(
        """
          reverse:
            ports: ["%d"]
        """
            .formatted(reversePort));
  }

  /** A server on {@code ws} with {@code settings}, indented as keys of {@code server}. */
  private TunnelRuntime startServer(String settings) throws Exception {
    TunnelRuntime started =
        new TunnelRuntime(
            Configs.load(
                dir, "server.yaml", "server:\n  listen: 127.0.0.1:" + ws + "\n" + settings),
            EnumSet.of(Role.SERVER));
    started.start();
    return started;
  }

  private TunnelRuntime startClient(String name, int remotePort, String destination, String allow)
      throws Exception {
    return startClient(name, remotePort, destination, allow, "");
  }

  /** A client whose one reverse tunnel is {@code name}; {@code settings} are more client keys. */
  private TunnelRuntime startClient(
      String name, int remotePort, String destination, String allow, String settings)
      throws Exception {
    TunnelRuntime started =
        new TunnelRuntime(
            Configs.load(
                dir,
                name + ".yaml",
                """
                management:
                  listen: 127.0.0.1:0
                client:
                  server: ws://127.0.0.1:%d/sudp
                  reverse-allow: ["%s"]
                  reverse-tunnels:
                    - name: %s
                      remote-listen: %d
                      destination: %s
                """
                        .formatted(ws, allow, name, remotePort, destination)
                    + settings),
            EnumSet.of(Role.CLIENT));
    started.start();
    return started;
  }

  /** {@code auth:} for a client whose token is {@code token}, as keys of {@code client}. */
  private String tokenAuth(String user, String token) throws Exception {
    Path file = Files.writeString(dir.resolve(user + ".token"), token + "\n");
    return "  auth:\n    token-file: " + file + "\n";
  }

  private static byte[] pattern(int length) {
    byte[] bytes = new byte[length];
    new Random(length).nextBytes(bytes);
    return bytes;
  }

  @Test
  void datagramsToTheServersPortReachTheClientsSideAndComeBackByteForByte() throws Exception {
    client = startClient("echo", reversePort, echo.address(), echo.address());
    await().until(() -> server.server().nat().reverseListenerCount() == 1);

    // Unconnected: the JDK does not send empty datagrams on a connected socket.
    try (UdpApp app = new UdpApp(reversePort, false)) {
      for (int length : new int[] {1, 1400, 65_507, 0}) {
        byte[] payload = pattern(length);
        // Sent once each, for the counts below.
        assertThat(app.sendOnceAndAwaitEcho(payload)).as("%d bytes", length).isEqualTo(payload);
      }
    }
    assertThat(client.client().reverseFlowCount()).isEqualTo(1);
    assertThat(server.server().nat().flowCount()).isEqualTo(2); // the listener and its flow
    assertThat(Runtimes.metrics(client))
        .contains(
            "sudp_reverse_tunnel_datagrams_total{direction=\"downstream\",reverse_tunnel=\"echo\",role=\"client\"} 4.0")
        .contains(
            "sudp_reverse_tunnel_bytes_total{direction=\"upstream\",reverse_tunnel=\"echo\",role=\"client\"} 66908.0");
    assertThat(client.statusJson().encode())
        .contains("\"reverseTunnels\":[{\"name\":\"echo\",\"remoteListen\":\"" + reversePort)
        .contains("\"server\":\"listening\"");
    assertThat(client.client().describeReverseTunnels())
        .containsExactly(
            "reverse tunnel echo: server port "
                + reversePort
                + " -> "
                + echo.address()
                + ", listening");
  }

  @Test
  void aPortTheServerDoesNotAllowIsRefusedCountedAndHoldsNoSocket() throws Exception {
    int otherPort = FreePorts.udp();
    try (CapturedLog log = CapturedLog.of(ReverseTunnels.class)) {
      client = startClient("denied", otherPort, echo.address(), echo.address());

      await().until(() -> client.client().counters().refusals(Refusal.REVERSE_LISTEN) >= 1);
      assertThat(
              log.count(
                  "reverse tunnel denied: the server refused port "
                      + otherPort
                      + ": not allowed for this user"))
          .isEqualTo(1);
    }
    assertThat(server.server().counters().refusals(Refusal.REVERSE_LISTEN)).isGreaterThan(0);
    assertThat(server.server().nat().reverseListenerCount()).isZero();
    try (DatagramSocket free = new DatagramSocket(new InetSocketAddress("127.0.0.1", otherPort))) {
      assertThat(free.isBound()).isTrue(); // the server holds nothing on it
    }
  }

  @Test
  void aPortAnotherSessionHoldsIsRefusedAsInUseAndTakenOnceItIsFree() throws Exception {
    TunnelRuntime first = startClient("first", reversePort, echo.address(), echo.address());
    try {
      await().until(() -> server.server().nat().reverseListenerCount() == 1);
      try (CapturedLog log = CapturedLog.of(ReverseTunnels.class)) {
        client = startClient("second", reversePort, echo.address(), echo.address());
        await().until(() -> log.contains("in use by another session; asking again every 5 s"));
        assertThat(client.client().counters().refusals(Refusal.REVERSE_LISTEN)).isEqualTo(1);
      }
    } finally {
      first.close(); // leaves: its session ends, and the port with it
    }
    // The second client asks again on the same connection and gets the port.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> client.client().describeReverseTunnels().get(0).endsWith("listening"));
    try (UdpApp app = new UdpApp(reversePort)) {
      assertThat(app.roundTrip(new byte[] {1})).containsExactly(1);
    }
    assertThat(client.client().socket().reconnects()).isZero();
  }

  @Test
  void aDestinationOutsideReverseAllowIsRefusedAfterResolution() throws Exception {
    // localhost resolves to loopback, which reverse-allow names only on another port.
    client = startClient("guarded", reversePort, "localhost:" + echo.port(), "127.0.0.1:1");
    await().until(() -> server.server().nat().reverseListenerCount() == 1);

    try (UdpApp app = new UdpApp(reversePort)) {
      app.send(new byte[] {1});
      await().until(() -> client.client().counters().drops(DropCause.FORBIDDEN) >= 1);
      await().until(() -> server.server().nat().flowCount() == 1); // the listener alone
      long serverDropsBefore = server.server().counters().drops(DropCause.FORBIDDEN);
      app.send(new byte[] {2});
      await()
          .until(() -> server.server().counters().drops(DropCause.FORBIDDEN) > serverDropsBefore);
    }
    assertThat(echo.received()).isZero();
    assertThat(client.client().reverseFlowCount()).isZero();
  }

  @Test
  void onlyTheUserWhoseReversePortsNameThePortGetsIt() throws Exception {
    server.close();
    Path tokens =
        Files.writeString(
            dir.resolve("tokens"), "robot robot-token-0123456789\nother other-token-0123456789\n");
    server =
        startServer(
            """
              auth:
                tokens-file: %s
              users:
                robot:
                  reverse-ports: ["%d-%d"]
                  # the listener and two senders
                  max-flows: 3
            """
                .formatted(tokens, reversePort, reversePort));
    TunnelRuntime other =
        startClient(
            "other",
            reversePort,
            echo.address(),
            echo.address(),
            tokenAuth("other", "other-token-0123456789"));
    try {
      await().until(() -> other.client().counters().refusals(Refusal.REVERSE_LISTEN) == 1);
      assertThat(server.server().nat().reverseListenerCount()).isZero();
    } finally {
      other.close();
    }

    client =
        startClient(
            "robot",
            reversePort,
            echo.address(),
            echo.address(),
            tokenAuth("robot", "robot-token-0123456789"));
    await().until(() -> server.server().nat().reverseListenerCount() == 1);
    try (UdpApp first = new UdpApp(reversePort);
        UdpApp second = new UdpApp(reversePort);
        UdpApp third = new UdpApp(reversePort)) {
      assertThat(first.roundTrip(new byte[] {1})).containsExactly(1);
      assertThat(second.roundTrip(new byte[] {2})).containsExactly(2);
      long refusedBefore = server.server().counters().drops(DropCause.FLOW_LIMIT);
      third.send(new byte[] {3}); // the user's flows are all taken: dropped, counted
      await().until(() -> server.server().counters().drops(DropCause.FLOW_LIMIT) > refusedBefore);
      assertThat(client.client().reverseFlowCount()).isEqualTo(2);
    }
  }

  @Test
  void aResumedSessionKeepsItsListenerAndFlows() throws Exception {
    client = startClient("echo", reversePort, echo.address(), echo.address());
    await().until(() -> server.server().nat().reverseListenerCount() == 1);
    try (UdpApp app = new UdpApp(reversePort)) {
      assertThat(app.roundTrip(new byte[] {1})).containsExactly(1);
      long reconnects = client.client().socket().reconnects();

      client.client().reconnect();
      await().until(() -> client.client().socket().reconnects() > reconnects);
      await().until(() -> client.client().connected());

      assertThat(app.roundTrip(new byte[] {2})).containsExactly(2);
      assertThat(server.server().nat().reverseListenerCount()).isEqualTo(1);
      assertThat(client.client().reverseFlowCount()).isEqualTo(1);
      assertThat(echo.senderPorts()).hasSize(1); // the same reverse flow, with its socket
      assertThat(server.server().counters().refusals(Refusal.REVERSE_LISTEN)).isZero();
    }
  }

  @Test
  void aRestartedServerGetsTheListenerAgainFromTheClient() throws Exception {
    client = startClient("echo", reversePort, echo.address(), echo.address());
    await().until(() -> server.server().nat().reverseListenerCount() == 1);
    try (UdpApp app = new UdpApp(reversePort)) {
      assertThat(app.roundTrip(new byte[] {1})).containsExactly(1);

      server.close();
      server = startServer();

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> server.server().nat().reverseListenerCount() == 1);
      assertThat(app.roundTrip(new byte[] {2})).containsExactly(2);
      assertThat(client.client().reverseFlowCount()).isEqualTo(1); // the old one ended with it
    }
  }
}
