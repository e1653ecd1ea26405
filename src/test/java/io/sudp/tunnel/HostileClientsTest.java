package io.sudp.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.ops.DropCause;
import io.sudp.ops.ProtocolViolation;
import io.sudp.ops.Refusal;
import io.sudp.ops.TrafficCounters;
import io.sudp.runtime.Role;
import io.sudp.runtime.TunnelRuntime;
import io.sudp.testing.FreePorts;
import io.sudp.testing.RawUpgrade;
import io.sudp.testing.Runtimes;
import io.sudp.testing.SteadyRoundTrips;
import io.sudp.testing.TestTls;
import io.sudp.testing.TrustCa;
import io.sudp.testing.UdpApp;
import io.sudp.testing.UdpEchoServer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad thing at once against one server, over real sockets, while a well-behaved client keeps
 * a stream of round trips going: each is refused and counted, and the good client loses nothing.
 */
class HostileClientsTest {
  private static final String TOKEN = "robot-token-0123456789";

  @TempDir Path dir;

  private final List<AutoCloseable> closing = new ArrayList<>();
  private TestTls tls;
  private UdpEchoServer echo;
  private TunnelRuntime server;
  private TrafficCounters counters;
  private int ws;

  @BeforeEach
  void start() throws Exception {
    tls = TestTls.create(dir.resolve("tls"));
    Path htpasswd =
        tls.htpasswd("alice", "alice-pw", "mallory", "mallory-pw", "greedy", "greedy-pw");
    Path tokens = Files.writeString(dir.resolve("tokens"), "robot " + TOKEN + "\n");
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
          # Short, for the slowloris below, but a loaded machine's TLS and password check fit.
          handshake-timeout: 2s
          allow: ["0.0.0.0/0:*", "%s"]
          tls:
            certificate: %s
            key: %s
          auth:
            htpasswd: %s
            tokens-file: %s
          users:
            greedy:
              max-flows: 2
              max-datagrams-per-second: 20
        """
                .formatted(
                    ws,
                    echo.address(),
                    tls.serverCertificate(),
                    tls.serverKey(),
                    htpasswd,
                    tokens));
    counters = server.server().counters();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable resource : closing) {
      resource.close();
    }
    server.close();
    echo.close();
  }

  private TunnelRuntime client(String user, String tunnels) throws Exception {
    TunnelRuntime client =
        Runtimes.start(
            Role.CLIENT,
            dir,
            user + ".yaml",
            """
        client:
          server: wss://localhost:%d/sudp
          tls:
            ca: %s
          auth:
            username: %s
            password-file: %s
          tunnels:
        %s"""
                .formatted(
                    ws,
                    tls.caCertificate(),
                    user,
                    tls.secretFile(user + ".pw", user + "-pw"),
                    tunnels.indent(4)));
    closing.add(client);
    await().until(() -> client.client().socket().isConnected());
    return client;
  }

  private static String tunnel(String name, int port, String destination) {
    return "- name: %s\n  listen: 127.0.0.1:%d\n  destination: %s\n"
        .formatted(name, port, destination);
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void everyAttackIsRefusedAndCountedWhileAWellBehavedClientLosesNothing() throws Exception {
    int alicePort = FreePorts.udp();
    client("alice", tunnel("echo", alicePort, echo.address()));
    try (SteadyRoundTrips alice = new SteadyRoundTrips(alicePort)) {
      await().until(() -> alice.answered() > 10);
      HttpClient http = RawUpgrade.trusting(tls.caCertificate());
      String url = "wss://localhost:" + ws + "/sudp";

      // No credentials, a wrong password, a wrong token: 401, counted.
      assertThat(RawUpgrade.status(http, url, null)).isEqualTo(401);
      assertThat(RawUpgrade.status(http, url, basic("alice", "guess"))).isEqualTo(401);
      assertThat(RawUpgrade.status(http, url, "Bearer " + TOKEN + "x")).isEqualTo(401);
      assertThat(counters.refusals(Refusal.AUTHENTICATION)).isEqualTo(3);

      // A client that does not trust the certificate: the TLS handshake fails, counted.
      try {
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(URI.create("wss://localhost:" + ws + "/sudp"), new WebSocket.Listener() {})
            .get(10, TimeUnit.SECONDS);
        throw new AssertionError("connected without trusting the certificate");
      } catch (ExecutionException expected) {
        await().until(() -> counters.refusals(Refusal.TLS) == 1);
      }

      // Forbidden destinations, by address and by a name that resolves to the server's own host.
      int closedPort = FreePorts.udp();
      int byIp = FreePorts.udp();
      int byName = FreePorts.udp();
      client(
          "mallory",
          tunnel("by-ip", byIp, "127.0.0.1:" + closedPort)
              + tunnel("by-name", byName, "localhost:" + closedPort));
      try (UdpApp ip = new UdpApp(byIp);
          UdpApp name = new UdpApp(byName)) {
        ip.send(new byte[] {1});
        await().until(() -> counters.drops(DropCause.FORBIDDEN) == 1);
        name.send(new byte[] {2});
        await().until(() -> counters.drops(DropCause.FORBIDDEN) == 2);
      }

      // Too many flows, then more datagrams per second than allowed.
      int greedyPort = FreePorts.udp();
      client("greedy", tunnel("echo", greedyPort, echo.address()));
      try (UdpApp first = new UdpApp(greedyPort);
          UdpApp second = new UdpApp(greedyPort);
          UdpApp third = new UdpApp(greedyPort)) {
        assertThat(first.roundTrip(new byte[] {1})).containsExactly(1);
        assertThat(second.roundTrip(new byte[] {2})).containsExactly(2);
        third.send(new byte[] {3});
        await().until(() -> counters.drops(DropCause.FLOW_LIMIT) == 1);
        for (int i = 0; i < 200; i++) {
          first.send(new byte[] {(byte) i});
        }
        await().until(() -> counters.drops(DropCause.RATE_LIMITED) > 100);
      }

      // A message over the size limit: the server closes the connection (1009), counted.
      CloseCode close = new CloseCode();
      WebSocket robot =
          http.newWebSocketBuilder()
              .subprotocols("sudp.v1")
              .header("Authorization", "Bearer " + TOKEN)
              .buildAsync(URI.create("wss://localhost:" + ws + "/sudp"), close)
              .get(10, TimeUnit.SECONDS);
      robot.sendBinary(ByteBuffer.allocate(200_000), true);
      // The client sees a 1009 close or, mid-send, a broken connection: either way it is over.
      close.code.handle((code, error) -> code == null ? 0 : code).get(10, TimeUnit.SECONDS);
      await().until(() -> counters.violations(ProtocolViolation.OVERSIZED_MESSAGE) == 1);

      // Slowloris: TLS done, half a request line, then silence: closed after the timeout. Counted
      // from here: a well-behaved client's upgrade that a loaded machine held past the short
      // timeout earlier would be counted too, and retried.
      long timeoutsBefore = counters.refusals(Refusal.HANDSHAKE_TIMEOUT);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, TrustCa.managers(tls.caCertificate()), null);
      try (SSLSocket slow = (SSLSocket) context.getSocketFactory().createSocket("localhost", ws)) {
        slow.startHandshake();
        slow.getOutputStream()
            .write("GET /sudp HTTP/1.1\r\nHost: loc".getBytes(StandardCharsets.US_ASCII));
        slow.setSoTimeout(10_000);
        InputStream in = slow.getInputStream();
        assertThat(in.read()).as("closed by the server").isEqualTo(-1);
      }
      assertThat(counters.refusals(Refusal.HANDSHAKE_TIMEOUT)).isEqualTo(timeoutsBefore + 1);

      long before = alice.answered();
      await().until(() -> alice.answered() > before + 10);
      assertThat(alice.missing()).as("round trips the well-behaved client lost").isZero();
    }
  }

  /** Records the close code a raw WebSocket gets. */
  private static final class CloseCode implements WebSocket.Listener {
    final CompletableFuture<Integer> code = new CompletableFuture<>();

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      code.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      code.completeExceptionally(error);
    }
  }
}
