package io.sudp.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.ops.ConnectFailure;
import io.sudp.runtime.TunnelRuntime;
import io.sudp.testing.AccountedStream;
import io.sudp.testing.CapturedLog;
import io.sudp.testing.Dns;
import io.sudp.testing.FreePorts;
import io.sudp.testing.RealProcess;
import io.sudp.testing.Runtimes;
import io.sudp.testing.TestTls;
import io.sudp.testing.Tinyproxy;
import io.sudp.testing.UdpApp;
import io.sudp.testing.UdpEchoServer;
import io.sudp.transport.WsClient;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A real tinyproxy between client and server, which lets CONNECT through to the server's port only:
 * the client's WebSocket connection is made through it, for ws:// and wss:// (TLS end to end), with
 * and without Basic authentication; its refusals are reported and counted; its restart is a lost
 * connection like any other. Its own log shows that the connection went through it.
 */
class HttpProxyIT {
  private static final String PASSWORD = "proxy-s3cret";

  @TempDir Path dir;

  private UdpEchoServer echo;
  private int ws;

  @BeforeEach
  void start() throws Exception {
    echo = new UdpEchoServer();
    ws = FreePorts.tcp();
  }

  @AfterEach
  void stop() throws Exception {
    echo.close();
  }

  @ParameterizedTest(name = "{0}, Basic authentication {1}")
  @CsvSource({"ws, false", "ws, true", "wss, false", "wss, true"})
  void digAndDatagramsGoThroughTheProxyToTheServer(String scheme, boolean basicAuth)
      throws Exception {
    Dns.requirePrograms();
    boolean secure = scheme.equals("wss");
    TestTls tls = secure ? TestTls.create(dir.resolve("tls")) : null;
    int dnsPort = FreePorts.udp();
    int tunnelPort = FreePorts.udp();
    int echoPort = FreePorts.udp();
    // TLS with the server's own name through the tunnel: the certificate is for localhost.
    String host = secure ? "localhost" : "127.0.0.1";
    try (RealProcess dnsmasq = Dns.dnsmasq(dir, dnsPort, "192.0.2.9");
        Tinyproxy proxy =
            Tinyproxy.start(
                dir.resolve("proxy"), ws, basicAuth ? "alice" : null, basicAuth ? PASSWORD : null);
        TunnelRuntime server =
            Runtimes.server(dir, ws, tls, "127.0.0.1:" + dnsPort, echo.address());
        TunnelRuntime client =
            client(
                scheme + "://" + host + ":" + ws + "/sudp",
                (basicAuth ? "alice@" : "") + "127.0.0.1:" + proxy.port(),
                basicAuth ? PASSWORD : null,
                secure ? "tls: {ca: " + tls.caCertificate() + "}" : "",
                """
                - {name: dns, listen: "127.0.0.1:%d", destination: "127.0.0.1:%d"}
                - {name: echo, listen: "127.0.0.1:%d", destination: "%s"}
                """
                    .formatted(tunnelPort, dnsPort, echoPort, echo.address()));
        UdpApp app = new UdpApp(echoPort)) {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> Dns.dig(tunnelPort, "sudp.test", "A").equals("192.0.2.9"));
      assertThat(Dns.dig(tunnelPort, "txt.sudp.test", "TXT"))
          .isEqualTo("\"carried by a websocket\"");
      Random random = new Random(ws);
      for (int size : new int[] {1, 1400, 65_507}) {
        byte[] payload = new byte[size];
        random.nextBytes(payload);
        assertThat(app.roundTrip(payload)).as("%d bytes", size).isEqualTo(payload);
      }

      assertThat(proxy.connectRequests(host + ":" + ws))
          .as("the connection went through the proxy: %s", proxy.log())
          .isEqualTo(1);
      JsonObject connection = connection(client);
      assertThat(connection.getString("proxy"))
          .isEqualTo("http://" + (basicAuth ? "alice@" : "") + "127.0.0.1:" + proxy.port());
      assertThat(connection.getJsonObject("connectFailures").getLong("proxy")).isZero();
      assertThat(dnsmasq.isAlive()).isTrue();
    }
  }

  @Test
  void aWrongPasswordAndNoPasswordAreTheProxysRefusalsReportedOnceAndCounted() throws Exception {
    int wrongPort = FreePorts.udp();
    int nonePort = FreePorts.udp();
    try (CapturedLog log = CapturedLog.of(WsClient.class);
        Tinyproxy proxy = Tinyproxy.start(dir.resolve("proxy"), ws, "alice", PASSWORD);
        TunnelRuntime server = Runtimes.server(dir, ws, echo.address());
        TunnelRuntime wrong =
            client(
                "ws://127.0.0.1:" + ws + "/sudp",
                "http://alice@127.0.0.1:" + proxy.port(),
                "not the " + PASSWORD,
                "",
                echoTunnel(wrongPort));
        TunnelRuntime none =
            client(
                "ws://127.0.0.1:" + ws + "/sudp",
                "http://127.0.0.1:" + proxy.port(),
                null,
                "",
                echoTunnel(nonePort))) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  wrong.client().socket().connectFailures(ConnectFailure.PROXY) >= 3
                      && none.client().socket().connectFailures(ConnectFailure.PROXY) >= 3);

      // tinyproxy answers a wrong password with 401, missing credentials with 407
      assertThat(wrong.client().socket().lastError())
          .isEqualTo(
              "the proxy http://alice@127.0.0.1:"
                  + proxy.port()
                  + " answered 401 Unauthorized: it refused the user and password (check"
                  + " client.proxy's user and client.proxy-password-file or -env)");
      assertThat(none.client().socket().lastError())
          .startsWith(
              "the proxy http://127.0.0.1:"
                  + proxy.port()
                  + " answered 407 Proxy Authentication Required: it requires a user and"
                  + " password");
      assertThat(log.count("answered 401 Unauthorized")).as("once per outage").isEqualTo(1);
      assertThat(log.count("answered 407 Proxy Authentication Required")).isEqualTo(1);
      assertThat(log.count(PASSWORD)).isZero();
      JsonObject failures = connection(wrong).getJsonObject("connectFailures");
      assertThat(failures.getLong("proxy")).isGreaterThanOrEqualTo(3);
      assertThat(
              failures.getLong("network") + failures.getLong("tls") + failures.getLong("upgrade"))
          .isZero();
      assertThat(wrong.client().socket().isConnected()).isFalse();
      assertThat(server.server().sessions().size()).isZero();
      assertThat(proxy.connectRequests("127.0.0.1:" + ws)).isGreaterThanOrEqualTo(6);
    }
  }

  @Test
  void theProxyRestartedMidStreamIsALostConnectionLikeAnyOther() throws Exception {
    int tunnelPort = FreePorts.udp();
    try (Tinyproxy proxy = Tinyproxy.start(dir.resolve("proxy"), ws, "alice", PASSWORD);
        TunnelRuntime server = Runtimes.server(dir, ws, echo.address());
        TunnelRuntime client =
            client(
                "ws://127.0.0.1:" + ws + "/sudp",
                "http://alice@127.0.0.1:" + proxy.port(),
                PASSWORD,
                "",
                echoTunnel(tunnelPort));
        UdpApp app = new UdpApp(tunnelPort)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> client.client().socket().isConnected());

      AccountedStream stream = new AccountedStream(app, echo);
      stream.run(
          300,
          round -> {
            if (round == 100 || round == 200) {
              proxy.restart();
            }
          });

      stream.assertEverythingAccountedFor(server.server().counters(), client.client().counters());
      await().atMost(Duration.ofSeconds(30)).until(() -> client.client().socket().isConnected());
      assertThat(app.roundTrip(new byte[] {42, 43})).containsExactly(42, 43);
      assertThat(client.client().socket().reconnects()).isEqualTo(2);
      assertThat(server.server().sessions().size()).as("the session resumed").isEqualTo(1);
      assertThat(echo.senderPorts()).as("the flow kept its server-side socket").hasSize(1);
      assertThat(proxy.connectRequests("127.0.0.1:" + ws)).isGreaterThanOrEqualTo(3);
    }
  }

  /**
   * A client of {@code server} through the proxy {@code proxy}, with {@code password} (or none),
   * {@code more} client keys and the tunnel entries {@code tunnels}.
   */
  private TunnelRuntime client(
      String server, String proxy, String password, String more, String tunnels) throws Exception {
    String passwordKey =
        password == null
            ? ""
            : "proxy-password-file: "
                + Files.writeString(
                    dir.resolve("proxy-password-" + System.nanoTime()), password + "\n");
    return Runtimes.client(
        dir,
        "server: %s\nproxy: %s\n%s\n%s\ntunnels:\n%s"
            .formatted(server, proxy, passwordKey, more, tunnels.indent(2)));
  }

  /** A tunnel entry from {@code port} to the echo service. */
  private String echoTunnel(int port) {
    return "- {name: echo, listen: \"127.0.0.1:%d\", destination: \"%s\"}"
        .formatted(port, echo.address());
  }

  /** The client's one connection as {@code sudp status --json} shows it. */
  private static JsonObject connection(TunnelRuntime client) {
    return client.statusJson().getJsonObject("client").getJsonArray("connections").getJsonObject(0);
  }
}
