package io.sudp.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.ops.ConnectFailure;
import io.sudp.runtime.TunnelRuntime;
import io.sudp.testing.FakeHttpProxy;
import io.sudp.testing.FakeHttpProxy.Answer;
import io.sudp.testing.FreePorts;
import io.sudp.testing.Runtimes;
import io.sudp.testing.TestTls;
import io.sudp.testing.UdpApp;
import io.sudp.testing.UdpEchoServer;
import io.sudp.transport.WsClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A "proxy" that answers with an endless header or status line, with something that is not HTTP, or
 * not at all, costs the client one failed attempt each time, bounded in bytes and in time by the
 * handshake's limits, never a hang or a growing buffer. One that tunnels to the server whatever it
 * is asked shows that the client checks the certificate against the server's name, sends that name
 * (SNI) and leaves resolving it to the proxy.
 */
class HostileProxyTest {
  /**
   * Far more than a client that gives up on a bad answer lets in (socket buffers and the decoder's
   * 8 KiB), far less than an endless answer delivers over loopback in the 10 s handshake timeout.
   */
  private static final long BOUND = 32L << 20;

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(
      value = Answer.class,
      names = {"ENDLESS_STATUS_LINE", "NOT_HTTP"})
  void anAnswerThatIsNotHttpFailsTheAttemptAtOnce(Answer answer) throws Exception {
    try (FakeHttpProxy proxy = FakeHttpProxy.answering(answer);
        TunnelRuntime client = client("ws://sudp.invalid:8080/sudp", proxy.port(), "")) {
      WsClient socket = client.client().socket();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> socket.connectFailures(ConnectFailure.PROXY) >= 2);

      assertThat(socket.lastError())
          .isEqualTo(
              "the proxy http://127.0.0.1:"
                  + proxy.port()
                  + " answered something that is not HTTP (or whose status line or header is too"
                  + " long)");
      assertThat(proxy.requests().get(0))
          .as("the server's name, for the proxy to resolve")
          .isEqualTo("CONNECT sudp.invalid:8080 HTTP/1.1");
      if (answer == Answer.ENDLESS_STATUS_LINE) {
        assertThat(proxy.clientsHungUp()).isPositive();
        assertThat(proxy.mostWritten()).as("what the client let in").isLessThan(BOUND);
      }
    }
  }

  /**
   * A 200 whose header never ends: Netty's decoder gives up on the header after 8 KiB and drops
   * whatever follows, but waits for the end of a message that never comes: the handshake timeout
   * ends it. What the client read meanwhile went nowhere.
   */
  @Test
  void aHeaderThatNeverEndsIsReadAndDroppedUntilTheHandshakeTimeout() throws Exception {
    try (FakeHttpProxy proxy = FakeHttpProxy.answering(Answer.ENDLESS_HEADER);
        TunnelRuntime client = client("ws://sudp.invalid:8080/sudp", proxy.port(), "")) {
      WsClient socket = client.client().socket();
      await() // the 10 s handshake timeout, with room for a loaded machine
          .atMost(Duration.ofSeconds(40))
          .until(
              () ->
                  proxy.clientsHungUp() >= 1 && socket.connectFailures(ConnectFailure.PROXY) >= 1);

      assertThat(socket.lastError())
          .isEqualTo(
              "the proxy http://127.0.0.1:" + proxy.port() + " did not answer the CONNECT in time");
      assertThat(proxy.mostWritten())
          .as("read far beyond any buffer on the way, and kept nowhere")
          .isGreaterThan(BOUND);
    }
  }

  @Test
  void throughATunnelTheServersNameIsCheckedSentAndResolvedByTheProxy() throws Exception {
    TestTls tls = TestTls.create(dir.resolve("tls"));
    int ws = FreePorts.tcp();
    String ca = "tls: {ca: " + tls.caCertificate() + "}";
    try (UdpEchoServer echo = new UdpEchoServer();
        TunnelRuntime server = Runtimes.server(dir, ws, tls, echo.address());
        FakeHttpProxy proxy = FakeHttpProxy.tunnellingTo(ws)) {
      // A name the client cannot resolve and the certificate does not list: the proxy takes it
      // to the server, the client sends it in its hello and refuses the certificate.
      try (TunnelRuntime other = client("wss://sudp.invalid:" + ws + "/sudp", proxy.port(), ca)) {
        WsClient socket = other.client().socket();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> socket.connectFailures(ConnectFailure.TLS) >= 1);
        assertThat(socket.lastError())
            .startsWith("TLS: the server's certificate is not for this host name");
        assertThat(socket.connectFailures(ConnectFailure.PROXY)).isZero();
        assertThat(proxy.requests().get(0)).isEqualTo("CONNECT sudp.invalid:" + ws + " HTTP/1.1");
        assertThat(new String(proxy.firstTunnelledBytes(), StandardCharsets.ISO_8859_1))
            .as("the TLS client hello names the server (SNI)")
            .contains("sudp.invalid");
      }

      int tunnelPort = FreePorts.udp();
      try (TunnelRuntime named =
              client(
                  "wss://localhost:" + ws + "/sudp",
                  proxy.port(),
                  ca
                      + "\ntunnels:\n  - {name: echo, listen: \"127.0.0.1:%d\", destination: \"%s\"}"
                          .formatted(tunnelPort, echo.address()));
          UdpApp app = new UdpApp(tunnelPort)) {
        assertThat(app.roundTrip(new byte[] {1, 2, 3})).containsExactly(1, 2, 3);
        assertThat(proxy.requests()).contains("CONNECT localhost:" + ws + " HTTP/1.1");
      }
    }
  }

  /**
   * A client of {@code server} through the proxy on loopback {@code proxyPort}, with {@code more}
   * client keys; a tunnel of its own unless {@code more} has its tunnels.
   */
  private TunnelRuntime client(String server, int proxyPort, String more) throws Exception {
    String keys =
        more.contains("tunnels:")
            ? more
            : more
                + "\ntunnels:\n  - {name: t, listen: \"127.0.0.1:%d\", destination: \"192.0.2.1:53\"}"
                    .formatted(FreePorts.udp());
    return Runtimes.client(
        dir, "server: %s\nproxy: http://127.0.0.1:%d\n%s".formatted(server, proxyPort, keys));
  }
}
