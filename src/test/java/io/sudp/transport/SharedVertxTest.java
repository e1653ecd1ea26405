package io.sudp.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class SharedVertxTest {
  @Test
  void aFirstConnectionOutlivesItsHandshakeTimeout() throws Exception {
    try (SharedVertx server = new SharedVertx(1);
        SharedVertx client = new SharedVertx(1)) {
      HttpServer listening =
          server
              .vertx()
              .createHttpServer()
              .webSocketHandler(socket -> socket.handler(socket::write))
              .listen(0, "127.0.0.1")
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      // The handshake's timer is the client instance's first. Long enough for a loaded
      // machine's first handshake (a first upgrade under load has taken over 2 s); the
      // connection is then watched for longer than that.
      WebSocketConnectOptions options =
          new WebSocketConnectOptions()
              .setHost("127.0.0.1")
              .setPort(listening.actualPort())
              .setURI("/")
              .setTimeout(5_000);
      WebSocket socket =
          client
              .vertx()
              .createWebSocketClient()
              .connect(options)
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      AtomicBoolean closed = new AtomicBoolean();
      socket.closeHandler(ignored -> closed.set(true));

      await()
          .during(Duration.ofSeconds(8))
          .atMost(Duration.ofSeconds(30)) // a closed socket stays closed: only a pass is quick
          .until(() -> !closed.get());
      assertThat(socket.isClosed()).isFalse();
    }
  }
}
