package io.sudp.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/** WebSocket upgrades made by hand with the JDK's client, to see exactly what a server answers. */
public final class RawUpgrade {
  private RawUpgrade() {}

  /** An HTTP client that trusts only the test CA. */
  public static HttpClient trusting(Path caPem) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, TrustCa.managers(caPem), null);
    return HttpClient.newBuilder().sslContext(context).build();
  }

  /**
   * The HTTP status of an upgrade offering {@code sudp.v1}: 101 if it succeeded (the socket is then
   * dropped at once), else the refusal's status.
   *
   * @param authorization the Authorization header, or null for none
   */
  public static int status(HttpClient http, String url, String authorization) throws Exception {
    List<AutoCloseable> opened = new ArrayList<>();
    int status = statusKeepingOpen(http, url, authorization, opened);
    for (AutoCloseable socket : opened) {
      socket.close();
    }
    return status;
  }

  /** As {@link #status}, but a socket that was upgraded stays open until {@code closing} runs. */
  public static int statusKeepingOpen(
      HttpClient http, String url, String authorization, List<AutoCloseable> closing)
      throws Exception {
    WebSocket.Builder builder = http.newWebSocketBuilder().subprotocols("sudp.v1");
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    try {
      WebSocket socket =
          builder
              .buildAsync(URI.create(url), new WebSocket.Listener() {})
              .get(10, TimeUnit.SECONDS);
      closing.add(socket::abort);
      return 101;
    } catch (ExecutionException refused) {
      return ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode();
    }
  }
}
