package io.sudp.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.ops.DropCause;
import io.sudp.ops.Refusal;
import io.sudp.ops.TrafficCounters;
import io.sudp.runtime.Role;
import io.sudp.runtime.TunnelRuntime;
import io.sudp.testing.FreePorts;
import io.sudp.testing.RawUpgrade;
import io.sudp.testing.Runtimes;
import io.sudp.testing.TestTls;
import io.sudp.testing.UdpApp;
import io.sudp.testing.UdpEchoServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Limits that keep one client from pinning the server: handshake timeout, connection limits,
 * per-user flows, rates and destinations. Each tries the bad thing over real sockets.
 */
class ServerLimitsTest {
  @TempDir Path dir;

  private final List<AutoCloseable> closing = new ArrayList<>();
  private UdpEchoServer echo;
  private TunnelRuntime server;
  private int ws;

  @BeforeEach
  void start() throws Exception {
    TestTls files = TestTls.create(dir.resolve("tls"));
    Path htpasswd = files.htpasswd("alice", "alice-pw", "bob", "bob-pw", "carol", "carol-pw");
    echo = new UdpEchoServer();
    ws = FreePorts.tcp();
    server =
        Runtimes.start(
            Role.SERVER,
            dir,
            "server.yaml",
            """
        server:
          listen: 127.0.0.1:%d
          max-connections: 3
          # Short, for the idle connection below, but a loaded machine's real upgrades fit.
          handshake-timeout: 2s
          auth:
            htpasswd: %s
          users:
            alice:
              allow: ["%s"]
              max-connections: 1
              max-flows: 2
            bob: {}
            carol:
              allow: ["%s"]
              max-datagrams-per-second: 50
        """
                .formatted(ws, htpasswd, echo.address(), echo.address()));
    for (String user : new String[] {"alice", "bob", "carol"}) {
      files.secretFile(user + ".pw", user + "-pw");
    }
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable resource : closing) {
      resource.close();
    }
    server.close();
    echo.close();
  }

  private TunnelRuntime client(String user, int tunnelPort) throws Exception {
    TunnelRuntime client =
        Runtimes.start(
            Role.CLIENT,
            dir,
            user + tunnelPort + ".yaml",
            """
        client:
          server: ws://127.0.0.1:%d/sudp
          auth:
            username: %s
            password-file: %s
          tunnels:
            - name: echo
              listen: 127.0.0.1:%d
              destination: %s
        """
                .formatted(
                    ws,
                    user,
                    dir.resolve("tls").resolve(user + ".pw"),
                    tunnelPort,
                    echo.address()));
    closing.add(client);
    return client;
  }

  private int rawUpgradeStatus(String user) throws Exception {
    String credentials =
        Base64.getEncoder()
            .encodeToString((user + ":" + user + "-pw").getBytes(StandardCharsets.UTF_8));
    return RawUpgrade.statusKeepingOpen(
        HttpClient.newHttpClient(),
        "ws://127.0.0.1:" + ws + "/sudp",
        "Basic " + credentials,
        closing);
  }

  @Test
  void aConnectionThatNeverUpgradesIsClosed() throws Exception {
    try (Socket idle = new Socket()) {
      idle.connect(new InetSocketAddress("127.0.0.1", ws));
      idle.setSoTimeout(10_000);
      InputStream in = idle.getInputStream();
      assertThat(in.read()).as("closed by the server").isEqualTo(-1);
    }
  }

  @Test
  void theServerAndEachUserHaveAConnectionLimit() throws Exception {
    TunnelRuntime alice = client("alice", FreePorts.udp());
    await().until(() -> alice.client().socket().isConnected());
    assertThat(rawUpgradeStatus("alice")).as("alice's second connection").isEqualTo(429);
    assertThat(rawUpgradeStatus("bob")).isEqualTo(101);
    assertThat(rawUpgradeStatus("carol")).isEqualTo(101);
    await().until(() -> server.server().socket().connectionCount() == 3);
    assertThat(rawUpgradeStatus("bob")).as("over the server's maximum").isEqualTo(503);
    assertThat(alice.client().socket().isConnected()).isTrue();
  }

  @Test
  void aSessionWaitingForItsClientGivesWayToAClientThatIsHere() throws Exception {
    List<AutoCloseable> lost = new ArrayList<>();
    String credentials =
        "Basic "
            + Base64.getEncoder().encodeToString("alice:alice-pw".getBytes(StandardCharsets.UTF_8));
    assertThat(
            RawUpgrade.statusKeepingOpen(
                HttpClient.newHttpClient(), "ws://127.0.0.1:" + ws + "/sudp", credentials, lost))
        .isEqualTo(101);
    for (AutoCloseable connection : lost) {
      connection.close(); // dropped without a close: the session waits to be resumed
    }
    await().until(() -> server.server().sessions().waitingCount() == 1);

    assertThat(rawUpgradeStatus("alice"))
        .as("alice's new session, at her limit of 1")
        .isEqualTo(101);
    // The server attaches the new session once the 101 is on its way: wait for it, not the 101.
    await()
        .untilAsserted(
            () -> {
              assertThat(server.server().sessions().waitingCount()).isZero();
              assertThat(server.server().sessions().size()).isEqualTo(1);
            });
  }

  @Test
  void aRequestHttpCannotParseIsRefusedClosedAndCounted() throws Exception {
    long before = server.server().counters().refusals(Refusal.BAD_UPGRADE);
    try (Socket socket = new Socket("127.0.0.1", ws)) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              ("GET /sudp HTTP/1.1\r\nHost: x\r\nAuthorization: Basic "
                      + "a".repeat(9_000)
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      assertThat(answer).startsWith("HTTP/1.1 431");
    }
    assertThat(server.server().counters().refusals(Refusal.BAD_UPGRADE)).isEqualTo(before + 1);
  }

  @Test
  void aUserGetsNoMoreFlowsThanItsLimit() throws Exception {
    int tunnelPort = FreePorts.udp();
    TunnelRuntime alice = client("alice", tunnelPort);
    await().until(() -> alice.client().socket().isConnected());
    try (UdpApp first = new UdpApp(tunnelPort);
        UdpApp second = new UdpApp(tunnelPort);
        UdpApp third = new UdpApp(tunnelPort)) {
      assertThat(first.roundTrip(new byte[] {1})).containsExactly(1);
      assertThat(second.roundTrip(new byte[] {2})).containsExactly(2);
      third.send(new byte[] {3});
      TrafficCounters counters = server.server().counters();
      await().until(() -> counters.drops(DropCause.FLOW_LIMIT) > 0);
      assertThat(first.roundTrip(new byte[] {4})).containsExactly(4);
    }
  }

  @Test
  void aUserOverItsRateIsDroppedAndCounted() throws Exception {
    int tunnelPort = FreePorts.udp();
    TunnelRuntime carol = client("carol", tunnelPort);
    await().until(() -> carol.client().socket().isConnected());
    try (UdpApp app = new UdpApp(tunnelPort)) {
      long start = System.nanoTime();
      for (int i = 0; i < 500; i++) {
        app.send(new byte[] {(byte) i});
      }
      TrafficCounters counters = server.server().counters();
      await().until(() -> counters.drops(DropCause.RATE_LIMITED) >= 100);
      // Read before the time it is held to: what the echo has received by now was let through
      // by now, however long a loaded machine takes between the two reads.
      long received = echo.received();
      double seconds = (System.nanoTime() - start) / 1e9;
      // A burst of one second's worth (50), then 50 per second; replies count against it too.
      assertThat(received).isLessThanOrEqualTo((long) (50 + 50 * seconds) + 1);
    }
  }

  @Test
  void destinationsAllowedToOneUserAreNotAllowedToAnother() throws Exception {
    int bobPort = FreePorts.udp();
    TunnelRuntime bob = client("bob", bobPort);
    await().until(() -> bob.client().socket().isConnected());
    try (UdpApp app = new UdpApp(bobPort)) {
      app.send(new byte[] {1});
      await().until(() -> server.server().counters().drops(DropCause.FORBIDDEN) > 0);
    }
    assertThat(echo.received()).isZero();
  }
}
