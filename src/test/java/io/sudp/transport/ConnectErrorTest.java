package io.sudp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.proxy.HttpProxyHandler.HttpProxyConnectException;
import io.netty.handler.proxy.ProxyConnectException;
import io.sudp.ops.ConnectFailure;
import io.vertx.core.http.UpgradeRejectedException;
import java.io.IOException;
import java.net.ConnectException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class ConnectErrorTest {
  private static final String PASSWORD = "pr0xy-s3cret";
  private static final HttpProxy WITH_USER =
      new HttpProxy("proxy.example", 3128, "alice", PASSWORD);
  private static final HttpProxy ANONYMOUS = new HttpProxy("proxy.example", 3128, null, null);

  /** What Netty's proxy handler reports when the proxy answers the CONNECT with {@code status}. */
  private static HttpProxyConnectException answered(String status) {
    return new HttpProxyConnectException(
        "http, basic, proxy.example/192.0.2.1:3128 => tunnel.example:443, status: " + status, null);
  }

  @Test
  void aProxyThatRefusesTheCredentialsSaysSoWithItsStatusLineAndNeverThePassword() {
    ConnectError refused =
        ConnectError.of(answered("407 Proxy Authentication Required"), WITH_USER);

    assertThat(refused.cause()).isEqualTo(ConnectFailure.PROXY);
    assertThat(refused.reason())
        .isEqualTo(
            "the proxy http://alice@proxy.example:3128 answered 407 Proxy Authentication"
                + " Required: it refused the user and password (check client.proxy's user and"
                + " client.proxy-password-file or -env)")
        .doesNotContain(PASSWORD);
    assertThat(ConnectError.of(answered("401 Unauthorized"), WITH_USER).reason())
        .contains("answered 401 Unauthorized: it refused the user and password");
    assertThat(ConnectError.of(answered("407 Proxy Authentication Required"), ANONYMOUS).reason())
        .contains("it requires a user and password (client.proxy: http://USER@HOST:PORT");
  }

  @Test
  void otherRefusalsSayWhatTheProxyAnswered() {
    assertThat(ConnectError.of(answered("403 Forbidden"), ANONYMOUS).reason())
        .isEqualTo(
            "the proxy http://proxy.example:3128 answered 403 Forbidden: its rules do not allow a"
                + " connection to this server and port");
    assertThat(ConnectError.of(answered("502 Bad Gateway"), ANONYMOUS).reason())
        .endsWith("answered 502 Bad Gateway: it could not reach the server");
    assertThat(ConnectError.of(answered("500 Unable to connect"), ANONYMOUS).reason())
        .endsWith("answered 500 Unable to connect instead of connecting");
  }

  @Test
  void whatTheProxySentIsShownPrintableAndShort() {
    String reason =
        ConnectError.of(answered("418 \u001b[31mred\u0007" + "x".repeat(10_000)), ANONYMOUS)
            .reason();

    assertThat(reason)
        .contains("answered 418 ?[31mred?x")
        .doesNotContain("\u001b")
        .hasSizeLessThan(200);
    assertThat(ConnectError.of(answered("999 Unknown"), ANONYMOUS).reason())
        .isEqualTo(
            "the proxy http://proxy.example:3128 answered something that is not HTTP (or whose"
                + " status line or header is too long)");
  }

  @Test
  void aProxyThatCannotBeReachedOrDoesNotAnswerIsNamed() {
    assertThat(
            ConnectError.of(
                new ConnectException("Connection refused: proxy.example/192.0.2.1:3128"),
                WITH_USER))
        .isEqualTo(
            new ConnectError(
                ConnectFailure.PROXY,
                "cannot reach the proxy http://alice@proxy.example:3128: Connection refused:"
                    + " proxy.example/192.0.2.1:3128"));
    assertThat(ConnectError.of(new ConnectTimeoutException("connection timed out"), ANONYMOUS))
        .extracting(ConnectError::cause)
        .isEqualTo(ConnectFailure.PROXY);
    assertThat(
            ConnectError.of(
                    new ProxyConnectException("http, none, /192.0.2.1:3128 => x:443, timeout"),
                    ANONYMOUS)
                .reason())
        .isEqualTo("the proxy http://proxy.example:3128 did not answer the CONNECT in time");
    assertThat(
            ConnectError.of(
                    new ProxyConnectException("http, none, /192.0.2.1:3128 => x:443, disconnected"),
                    ANONYMOUS)
                .reason())
        .contains("closed the connection without answering the CONNECT");
  }

  @Test
  void withoutAProxyOrPastItTheServerIsToBlame() {
    assertThat(ConnectError.of(new ConnectException("Connection refused"), null).cause())
        .isEqualTo(ConnectFailure.NETWORK);
    assertThat(ConnectError.of(new IOException("Connection reset by peer"), WITH_USER).cause())
        .as("the proxy connected; the server's end broke")
        .isEqualTo(ConnectFailure.NETWORK);
    assertThat(ConnectError.of(new SSLHandshakeException("no"), WITH_USER).cause())
        .isEqualTo(ConnectFailure.TLS);
    assertThat(ConnectError.of(new UpgradeRejectedException("refused", 401, null, null), WITH_USER))
        .isEqualTo(
            new ConnectError(
                ConnectFailure.UPGRADE,
                "the server refused the credentials (401); check client.auth"));
  }
}
