package io.sudp.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.ops.Refusal;
import io.sudp.runtime.TunnelRuntime;
import io.sudp.testing.CapturedLog;
import io.sudp.testing.FreePorts;
import io.sudp.testing.RawWebSocket;
import io.sudp.testing.RawWebSocket.Opening;
import io.sudp.testing.Runtimes;
import io.sudp.testing.TestTls;
import io.sudp.transport.WsServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trust rule against a real server, with clients on addresses of their own on loopback and
 * 127.0.0.1 as the trusted proxy: the login limiter counts failures by the client a trusted proxy
 * names, and by the TCP peer for everyone else, whatever they send.
 */
class ClientAddressTest {
  private static final String PROXY = "127.0.0.1";

  @TempDir Path dir;

  private TunnelRuntime server;
  private int port;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private void start(String source) throws Exception {
    port = FreePorts.tcp();
    server =
        Runtimes.server(
            dir,
            """
            listen: 127.0.0.1:%d
            auth: {htpasswd: %s}
            client-address: %s
            trusted-proxies: [%s]
            """
                .formatted(
                    port,
                    TestTls.create(dir.resolve("tls")).htpasswd("alice", "alice-pw"),
                    source,
                    PROXY));
  }

  /** A wrong password for alice from {@code from}, with {@code forwardedFor} (null: none). */
  private int guess(String from, String forwardedFor) throws IOException {
    return guess(from, forwardedFor, Opening.PLAIN);
  }

  private int guess(String from, String forwardedFor, Opening opening) throws IOException {
    Map<String, String> headers = new HashMap<>();
    headers.put(
        "Authorization",
        "Basic "
            + Base64.getEncoder()
                .encodeToString("alice:wrong-pw".getBytes(StandardCharsets.UTF_8)));
    if (forwardedFor != null) {
      headers.put("X-Forwarded-For", forwardedFor);
    }
    return RawWebSocket.attempt(from, port, "/sudp", 0, headers, opening).status();
  }

  private void lockOut(String from, String forwardedFor, Opening opening) throws IOException {
    for (int i = 0; i < 5; i++) {
      assertThat(guess(from, forwardedFor, opening)).as("attempt %d", i + 1).isEqualTo(401);
    }
    assertThat(guess(from, forwardedFor, opening)).isEqualTo(429);
  }

  private static Opening proxyHeader(String client) {
    return new Opening(
        ("PROXY TCP4 " + client + " 127.0.0.1 40000 443\r\n").getBytes(StandardCharsets.US_ASCII),
        null);
  }

  @Test
  void aDirectClientIsItsPeerAddressWhateverItsXForwardedForSays() throws Exception {
    start("x-forwarded-for");

    lockOut("127.0.0.4", "127.0.0.5", Opening.PLAIN);

    assertThat(guess("127.0.0.4", "127.0.0.9")).as("still itself").isEqualTo(429);
    assertThat(guess("127.0.0.5", null)).as("the address it claimed").isEqualTo(401);
  }

  @Test
  void theTrustedProxysClientIsTheRightMostAddressItDidNotWriteItself() throws Exception {
    start("x-forwarded-for");

    try (CapturedLog log = CapturedLog.of(WsServer.class)) {
      lockOut(PROXY, "127.0.0.4, 127.0.0.6", Opening.PLAIN);

      assertThat(guess(PROXY, "127.0.0.6")).as("the same client").isEqualTo(429);
      assertThat(guess(PROXY, "127.0.0.6, 127.0.0.7")).as("another client").isEqualTo(401);
      assertThat(guess("127.0.0.4", null))
          .as("the left-most, written by the client")
          .isEqualTo(401);
      assertThat(log.first("authentication failed"))
          .hasValueSatisfying(line -> assertThat(line).startsWith("127.0.0.6 (via 127.0.0.1:"));
    }
    assertThat(server.server().counters().clientAddressFallbacks()).isZero();
  }

  @Test
  void aTrustedProxysHeaderThatNamesNoClientCountsAsTheProxysAndIsCounted() throws Exception {
    start("x-forwarded-for");

    try (CapturedLog log = CapturedLog.of(WsServer.class)) {
      assertThat(guess(PROXY, "203.0.113.7, secret-token-123")).isEqualTo(401);
      assertThat(guess(PROXY, null)).isEqualTo(401);

      assertThat(server.server().counters().clientAddressFallbacks()).isEqualTo(2);
      assertThat(log.first("names no client"))
          .hasValueSatisfying(
              line ->
                  assertThat(line)
                      .startsWith("127.0.0.1:")
                      .contains("X-Forwarded-For from a trusted proxy names no client (malformed)")
                      .doesNotContain("secret-token"));
      assertThat(log.first("authentication failed"))
          .hasValueSatisfying(line -> assertThat(line).startsWith("127.0.0.1:"));
    }
  }

  @Test
  void withTheProxyProtocolOnlyATrustedProxysHeaderNamesTheClient() throws Exception {
    start("proxy-protocol");

    lockOut(PROXY, null, proxyHeader("198.51.100.7"));
    assertThat(guess(PROXY, null, proxyHeader("198.51.100.8"))).isEqualTo(401);
    assertThat(guess("127.0.0.2", null)).as("a client of its own").isEqualTo(401);

    assertThat(guess("127.0.0.2", null, proxyHeader("198.51.100.9")))
        .as("from elsewhere a PROXY header is no HTTP")
        .isEqualTo(400);
    // Counted as the connection closes, which may come after the answer was read.
    await().until(() -> server.server().counters().refusals(Refusal.BAD_UPGRADE) == 1);
    assertThat(guess(PROXY, null)).as("a trusted proxy without one").isEqualTo(-1);
    await().until(() -> server.server().counters().refusals(Refusal.PROXY_HEADER) == 1);
    assertThat(server.server().counters().refusals(Refusal.BAD_UPGRADE)).isEqualTo(1);
  }
}
