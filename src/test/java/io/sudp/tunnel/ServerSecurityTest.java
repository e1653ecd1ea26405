package io.sudp.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.ops.DropCause;
import io.sudp.ops.Refusal;
import io.sudp.runtime.Role;
import io.sudp.runtime.TunnelRuntime;
import io.sudp.testing.FreePorts;
import io.sudp.testing.RawUpgrade;
import io.sudp.testing.Runtimes;
import io.sudp.testing.TestTls;
import io.sudp.testing.UdpApp;
import io.sudp.testing.UdpEchoServer;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server on its own, without nginx: direct TLS, Basic users from a bcrypt htpasswd file, bearer
 * tokens, failures limited per source, and mutual TLS; every refusal over real sockets.
 */
class ServerSecurityTest {
  private static final String TOKEN = "s3cr3t-token-for-the-ci-robot";

  @TempDir Path dir;

  private TestTls tls;
  private UdpEchoServer echo;
  private TunnelRuntime server;
  private int ws;

  @BeforeEach
  void start() throws Exception {
    tls = TestTls.create(dir.resolve("tls"));
    Path htpasswd = tls.htpasswd("alice", "correct horse");
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
          allow: ["%s"]
          tls:
            certificate: %s
            key: %s
          auth:
            htpasswd: %s
            tokens-file: %s
        """
                .formatted(
                    ws,
                    echo.address(),
                    tls.serverCertificate(),
                    tls.serverKey(),
                    htpasswd,
                    tokens));
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    echo.close();
  }

  private TunnelRuntime client(int tunnelPort, String security) throws Exception {
    return Runtimes.start(
        Role.CLIENT,
        dir,
        "client-" + tunnelPort + ".yaml",
        """
        client:
          server: wss://localhost:%d/sudp
          tunnels:
            - name: echo
              listen: 127.0.0.1:%d
              destination: %s
        %s"""
            .formatted(ws, tunnelPort, echo.address(), security.indent(2)));
  }

  private String basic(String password) throws Exception {
    return """
        tls:
          ca: %s
        auth:
          username: alice
          password-file: %s
        """
        .formatted(tls.caCertificate(), tls.secretFile("pw-" + password.hashCode(), password));
  }

  @Test
  void aUserWithTheRightPasswordGetsThroughDirectTls() throws Exception {
    int tunnelPort = FreePorts.udp();
    try (TunnelRuntime client = client(tunnelPort, basic("correct horse"));
        UdpApp app = new UdpApp(tunnelPort)) {
      await().until(() -> client.client().socket().isConnected());
      byte[] payload = "over wss, as alice".getBytes(StandardCharsets.US_ASCII);
      assertThat(app.roundTrip(payload)).isEqualTo(payload);
    }
  }

  @Test
  void aWrongPasswordGets401AndNothingIsForwarded() throws Exception {
    int tunnelPort = FreePorts.udp();
    try (TunnelRuntime client = client(tunnelPort, basic("guess"));
        UdpApp app = new UdpApp(tunnelPort)) {
      app.send(new byte[] {1});
      await().until(() -> String.valueOf(client.client().socket().lastError()).contains("401"));
    }
    assertThat(server.server().sessions().size()).isZero();
    assertThat(server.server().authFailures()).isPositive();
    assertThat(echo.received()).isZero();
  }

  @Test
  void aBearerTokenGetsThroughAndAWrongOneDoesNot() throws Exception {
    int good = FreePorts.udp();
    int bad = FreePorts.udp();
    try (TunnelRuntime robot =
            client(
                good,
                """
            tls:
              ca: %s
            auth:
              token-file: %s
            """
                    .formatted(tls.caCertificate(), tls.secretFile("token", TOKEN)));
        TunnelRuntime impostor =
            client(
                bad,
                """
            tls:
              ca: %s
            auth:
              token-file: %s
            """
                    .formatted(tls.caCertificate(), tls.secretFile("bad-token", TOKEN + "x")));
        UdpApp app = new UdpApp(good)) {
      await().until(() -> robot.client().socket().isConnected());
      assertThat(app.roundTrip(new byte[] {7})).containsExactly(7);
      await().until(() -> String.valueOf(impostor.client().socket().lastError()).contains("401"));
    }
  }

  @Test
  void aSourceThatKeepsFailingIsRefusedWithoutChecking() throws Exception {
    HttpClient http = RawUpgrade.trusting(tls.caCertificate());
    String wrong =
        "Basic "
            + Base64.getEncoder().encodeToString("alice:wrong".getBytes(StandardCharsets.UTF_8));
    int[] statuses = new int[7];
    for (int i = 0; i < statuses.length; i++) {
      statuses[i] = RawUpgrade.status(http, "wss://localhost:" + ws + "/sudp", wrong);
    }
    assertThat(statuses).containsExactly(401, 401, 401, 401, 401, 429, 429);
    assertThat(server.server().authFailures()).isEqualTo(7);
  }

  @Test
  void aClientThatDoesNotTrustTheServerDoesNotConnect() throws Exception {
    int tunnelPort = FreePorts.udp();
    try (TunnelRuntime client =
        client(
            tunnelPort,
            """
            auth:
              username: alice
              password-file: %s
            """
                .formatted(tls.secretFile("pw", "correct horse")))) {
      await().until(() -> client.client().socket().lastError() != null);
      assertThat(client.client().socket().lastError())
          .as("what to do about it")
          .contains("set client.tls.ca");
      assertThat(client.client().socket().isConnected()).isFalse();
    }
    assertThat(server.server().sessions().size()).isZero();
  }

  @Test
  void mutualTlsLetsInOnlyClientsWithACertificateFromTheCa() throws Exception {
    server.close();
    server =
        Runtimes.start(
            Role.SERVER,
            dir,
            "mtls.yaml",
            """
        server:
          listen: 127.0.0.1:%d
          allow: ["%s"]
          tls:
            certificate: %s
            key: %s
            client-ca: %s
        """
                .formatted(
                    ws,
                    echo.address(),
                    tls.serverCertificate(),
                    tls.serverKey(),
                    tls.caCertificate()));
    int withCertificate = FreePorts.udp();
    int without = FreePorts.udp();
    try (TunnelRuntime trusted =
            client(
                withCertificate,
                """
            tls:
              ca: %s
              certificate: %s
              key: %s
            """
                    .formatted(tls.caCertificate(), tls.clientCertificate(), tls.clientKey()));
        TunnelRuntime stranger =
            client(
                without,
                """
            tls:
              ca: %s
            """
                    .formatted(tls.caCertificate()));
        UdpApp app = new UdpApp(withCertificate)) {
      await().until(() -> trusted.client().socket().isConnected());
      assertThat(app.roundTrip(new byte[] {5})).containsExactly(5);
      await().until(() -> stranger.client().socket().lastError() != null);
      assertThat(stranger.client().socket().isConnected()).isFalse();
      assertThat(server.server().sessions().size()).isEqualTo(1);
    }
  }

  @Test
  void aPkcs12KeystoreServesTlsAndAnExpiredCertificateIsRefusedByTheClient() throws Exception {
    for (boolean expired : new boolean[] {false, true}) {
      server.close();
      String name = expired ? "expired" : "valid";
      Path keystore = tls.keystore(name, expired);
      server =
          Runtimes.start(
              Role.SERVER,
              dir,
              name + ".yaml",
              """
          server:
            listen: 127.0.0.1:%d
            allow: ["%s"]
            tls:
              keystore: %s
              keystore-password-file: %s
          """
                  .formatted(ws, echo.address(), keystore, tls.secretFile("store.pw", "changeit")));
      int tunnelPort = FreePorts.udp();
      try (TunnelRuntime client =
              Runtimes.start(
                  Role.CLIENT,
                  dir,
                  name + "-client.yaml",
                  """
              client:
                server: wss://localhost:%d/sudp
                tls:
                  ca: %s
                tunnels:
                  - name: echo
                    listen: 127.0.0.1:%d
                    destination: %s
              """
                      .formatted(ws, tls.keystoreCa(name), tunnelPort, echo.address()));
          UdpApp app = new UdpApp(tunnelPort)) {
        if (expired) {
          await().until(() -> client.client().socket().lastError() != null);
          assertThat(client.client().socket().lastError())
              .contains("the server's certificate has expired");
          assertThat(client.client().socket().isConnected()).isFalse();
          await().until(() -> server.server().counters().refusals(Refusal.TLS) > 0);
        } else {
          assertThat(app.roundTrip(new byte[] {9})).containsExactly(9);
        }
      }
    }
  }

  @Test
  void aWideAllowlistEntryDoesNotReachTheServersOwnHost() throws Exception {
    server.close();
    int tunnelPort = FreePorts.udp();
    server =
        Runtimes.start(
            Role.SERVER,
            dir,
            "open.yaml",
            """
        server:
          listen: 127.0.0.1:%d
          allow: ["0.0.0.0/0:*"]
        """
                .formatted(ws));
    try (TunnelRuntime client =
            Runtimes.start(
                Role.CLIENT,
                dir,
                "loopback.yaml",
                """
            client:
              server: ws://127.0.0.1:%d/sudp
              tunnels:
                - name: loopback
                  listen: 127.0.0.1:%d
                  destination: %s
            """
                    .formatted(ws, tunnelPort, echo.address()));
        UdpApp app = new UdpApp(tunnelPort)) {
      app.send(new byte[] {1});
      await().until(() -> server.server().counters().drops(DropCause.FORBIDDEN) > 0);
    }
    assertThat(echo.received()).isZero();
  }
}
