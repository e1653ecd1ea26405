package io.sudp.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.ops.Refusal;
import io.sudp.runtime.TunnelRuntime;
import io.sudp.testing.CapturedLog;
import io.sudp.testing.Configs;
import io.sudp.testing.FreePorts;
import io.sudp.testing.Nginx;
import io.sudp.testing.RawWebSocket;
import io.sudp.testing.RawWebSocket.Opening;
import io.sudp.testing.Runtimes;
import io.sudp.testing.TcpProxy;
import io.sudp.testing.TestTls;
import io.sudp.testing.TrustCa;
import io.sudp.testing.UdpApp;
import io.sudp.testing.UdpEchoServer;
import io.sudp.transport.WsServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two clients behind a real nginx, each from an address of its own on loopback (127.0.0.3 guessing
 * alice's password, 127.0.0.2 knowing it), while the server sees every connection come from nginx
 * at 127.0.0.1: the guesser's failures lock out only its own address, whatever it writes into
 * {@code X-Forwarded-For}, and the other client logs in and carries datagrams. Once through the
 * shipped {@code nginx/sudp.conf} (TLS in nginx, the password checked by the server, the address in
 * {@code X-Forwarded-For}) and once through the shipped {@code nginx/sudp-stream.conf} (TLS and
 * password the server's, the address in a PROXY protocol header).
 */
class ClientAddressNginxIT {
  private static final String GUESSER = "127.0.0.3";
  private static final String CLIENT = "127.0.0.2";

  @TempDir Path dir;

  private TestTls tls;
  private Path htpasswd;
  private UdpEchoServer echo;
  private TunnelRuntime server;
  private Nginx nginx;

  @BeforeEach
  void start() throws Exception {
    tls = TestTls.create(dir.resolve("tls"));
    htpasswd = tls.htpasswd("alice", "correct horse");
    echo = new UdpEchoServer();
  }

  @AfterEach
  void stop() throws Exception {
    if (nginx != null) {
      nginx.close();
    }
    if (server != null) {
      server.close();
    }
    echo.close();
  }

  /** A server on loopback that checks passwords and trusts nginx's address for {@code source}. */
  private int startServer(String source, boolean serverTls) throws Exception {
    int ws = FreePorts.tcp();
    server =
        Runtimes.server(
            dir,
            """
            listen: 127.0.0.1:%d
            allow: ["%s"]
            auth: {htpasswd: %s}
            client-address: %s
            trusted-proxies: [127.0.0.1]
            %s"""
                .formatted(
                    ws,
                    echo.address(),
                    htpasswd,
                    source,
                    serverTls
                        ? "tls: {certificate: %s, key: %s}"
                            .formatted(tls.serverCertificate(), tls.serverKey())
                        : ""));
    return ws;
  }

  @Test
  void behindTheHttpProxyOneClientsFailuresLockOutOnlyItsAddress() throws Exception {
    int ws = startServer("x-forwarded-for", false);
    nginx = Nginx.shipped(dir.resolve("nginx"), ws, tls, null);
    oneClientsFailuresLockOutOnlyItsAddress(GUESSER + " (via 127.0.0.1:");
  }

  @Test
  void behindTheStreamProxyOneClientsFailuresLockOutOnlyItsAddress() throws Exception {
    int ws = startServer("proxy-protocol", true);
    nginx = Nginx.shippedStream(dir.resolve("nginx"), ws);
    oneClientsFailuresLockOutOnlyItsAddress(GUESSER + ":");
  }

  private void oneClientsFailuresLockOutOnlyItsAddress(String guesserInLog) throws Exception {
    try (CapturedLog log = CapturedLog.of(WsServer.class)) {
      // It claims to be the other client: a server believing the left-most address would lock
      // that one out.
      for (int i = 0; i < 5; i++) {
        assertThat(guess(CLIENT)).as("attempt %d", i + 1).isEqualTo(401);
      }
      assertThat(guess(CLIENT)).as("locked out").isEqualTo(429);
      assertThat(guess("198.51.100.9")).as("whatever it claims").isEqualTo(429);
      assertThat(server.server().counters().refusals(Refusal.TOO_MANY_FAILURES)).isEqualTo(2);

      int tunnelPort = FreePorts.udp();
      try (TcpProxy fromClient = new TcpProxy(nginx.port(), CLIENT);
          TunnelRuntime client =
              Runtimes.client(
                  dir,
                  Configs.aliceOverTls(
                      fromClient.port(),
                      tls.caCertificate(),
                      tls.secretFile("alice.pw", "correct horse"),
                      tunnelPort,
                      echo.address()));
          UdpApp app = new UdpApp(tunnelPort)) {
        await().atMost(Duration.ofSeconds(60)).until(() -> client.client().socket().isConnected());
        assertThat(server.server().counters().refusals(Refusal.TOO_MANY_FAILURES))
            .as("the other client never refused")
            .isEqualTo(2);
        for (int size : new int[] {1, 1200, 65_507}) {
          byte[] payload = new byte[size];
          new Random(size).nextBytes(payload);
          assertThat(app.roundTrip(payload)).isEqualTo(payload);
        }
        assertThat(log.first("client connected"))
            .hasValueSatisfying(line -> assertThat(line).contains("from " + CLIENT));
      }
      assertThat(log.first("authentication failed"))
          .hasValueSatisfying(line -> assertThat(line).startsWith(guesserInLog));
      assertThat(server.server().counters().clientAddressFallbacks()).isZero();
    }
  }

  /** An upgrade as alice with a wrong password from the guesser, claiming to be {@code claimed}. */
  private int guess(String claimed) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, TrustCa.managers(tls.caCertificate()), null);
    String basic =
        Base64.getEncoder().encodeToString("alice:guess".getBytes(StandardCharsets.UTF_8));
    return RawWebSocket.attempt(
            GUESSER,
            nginx.port(),
            "/sudp",
            0,
            Map.of("Authorization", "Basic " + basic, "X-Forwarded-For", claimed),
            new Opening(new byte[0], context.getSocketFactory()))
        .status();
  }
}
