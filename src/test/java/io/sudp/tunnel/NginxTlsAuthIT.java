package io.sudp.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.runtime.Role;
import io.sudp.runtime.TunnelRuntime;
import io.sudp.testing.Configs;
import io.sudp.testing.FreePorts;
import io.sudp.testing.Nginx;
import io.sudp.testing.RawUpgrade;
import io.sudp.testing.Runtimes;
import io.sudp.testing.TestTls;
import io.sudp.testing.UdpApp;
import io.sudp.testing.UdpEchoServer;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's deployment: client → the shipped nginx configuration (TLS 1.2/1.3 and auth_basic with
 * bcrypt) → server → destination, with a CA and a password file made at test time.
 */
class NginxTlsAuthIT {
  @TempDir Path dir;

  private TestTls tls;
  private UdpEchoServer echo;
  private TunnelRuntime server;
  private Nginx nginx;

  @BeforeEach
  void start() throws Exception {
    tls = TestTls.create(dir.resolve("tls"));
    Path htpasswd = tls.htpasswd("alice", "correct horse");
    echo = new UdpEchoServer();
    int ws = FreePorts.tcp();
    server = Runtimes.server(dir, ws, echo.address());
    nginx = Nginx.shipped(dir.resolve("nginx"), ws, tls, htpasswd);
  }

  @AfterEach
  void stop() throws Exception {
    nginx.close();
    server.close();
    echo.close();
  }

  private TunnelRuntime client(int tunnelPort, String security) throws Exception {
    TunnelRuntime client =
        new TunnelRuntime(
            Configs.load(
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
                    .formatted(nginx.port(), tunnelPort, echo.address(), security.indent(2))),
            EnumSet.of(Role.CLIENT));
    client.start();
    return client;
  }

  @Test
  void carriesDatagramsByteExactThroughTlsAndBasicAuth() throws Exception {
    int tunnelPort = FreePorts.udp();
    try (TunnelRuntime client =
            client(
                tunnelPort,
                """
            tls:
              ca: %s
            auth:
              username: alice
              password-file: %s
            """
                    .formatted(tls.caCertificate(), tls.secretFile("alice.pw", "correct horse")));
        UdpApp app = new UdpApp(tunnelPort)) {
      await().until(() -> client.client().socket().isConnected());
      for (int size : new int[] {1, 64, 1200, 65_507}) {
        byte[] payload = new byte[size];
        new Random(size).nextBytes(payload);
        assertThat(app.roundTrip(payload)).isEqualTo(payload);
      }
    }
  }

  @Test
  void wrongCredentialsGet401AndNoDatagramIsEverSent() throws Exception {
    int tunnelPort = FreePorts.udp();
    try (TunnelRuntime client =
            client(
                tunnelPort,
                """
            tls:
              ca: %s
            auth:
              username: alice
              password-file: %s
            """
                    .formatted(tls.caCertificate(), tls.secretFile("wrong.pw", "guess")));
        UdpApp app = new UdpApp(tunnelPort)) {
      app.send(new byte[] {1, 2, 3});
      await().until(() -> String.valueOf(client.client().socket().lastError()).contains("401"));
      assertThat(client.client().socket().isConnected()).isFalse();
    }
    assertThat(server.server().sessions().size()).isZero();
    assertThat(echo.received()).isZero();
  }

  @Test
  void missingCredentialsGet401() throws Exception {
    assertThat(
            RawUpgrade.status(
                RawUpgrade.trusting(tls.caCertificate()),
                "wss://localhost:" + nginx.port() + "/sudp",
                null))
        .isEqualTo(401);
    assertThat(server.server().sessions().size()).isZero();
  }

  @Test
  void aClientWithoutTheCaRefusesNginxsCertificate() throws Exception {
    int tunnelPort = FreePorts.udp();
    try (TunnelRuntime client =
        client(
            tunnelPort,
            """
            auth:
              username: alice
              password-file: %s
            """
                .formatted(tls.secretFile("alice.pw", "correct horse")))) {
      await().until(() -> client.client().socket().lastError() != null);
      assertThat(client.client().socket().isConnected()).isFalse();
    }
    assertThat(server.server().sessions().size()).isZero();
  }
}
