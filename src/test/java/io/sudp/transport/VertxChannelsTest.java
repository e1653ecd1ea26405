package io.sudp.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ServerChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.InetSocketAddress;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Vert.x internals {@link VertxChannels} reaches, used for real on a WebSocket connection: this
 * fails when an upgrade of Vert.x changes them.
 */
class VertxChannelsTest {
  @Test
  void reachesTheChannelsUnderAServerAndBothEndsOfAWebSocket() throws Exception {
    try (SharedVertx shared = new SharedVertx(2)) {
      Vertx vertx = shared.vertx();
      CompletableFuture<Channel> serverEnd = new CompletableFuture<>();
      CompletableFuture<Boolean> serverOnItsLoop = new CompletableFuture<>();
      Queue<Object> framesSeen = new ConcurrentLinkedQueue<>();
      HttpServer server =
          vertx
              .createHttpServer()
              .requestHandler(
                  request -> {
                    Channel channel = VertxChannels.of(request.connection());
                    serverOnItsLoop.complete(channel.eventLoop().inEventLoop());
                    request
                        .toWebSocket()
                        .onSuccess(
                            (ServerWebSocket socket) -> {
                              VertxChannels.addBeforeVertx(
                                  channel, "frames-seen", recorder(framesSeen));
                              serverEnd.complete(channel);
                            });
                  })
              .listen(0, "127.0.0.1")
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);

      Channel listening = VertxChannels.listening(server);
      assertThat(listening).isInstanceOf(ServerChannel.class);
      assertThat(listening.isActive()).isTrue();
      assertThat(((InetSocketAddress) listening.localAddress()).getPort())
          .isEqualTo(server.actualPort());

      CompletableFuture<WebSocket> connected = new CompletableFuture<>();
      CompletableFuture<Boolean> clientOnItsLoop = new CompletableFuture<>();
      EventLoopVerticle.deploy(
          vertx,
          started -> {
            vertx
                .createWebSocketClient()
                .connect(
                    new WebSocketConnectOptions()
                        .setHost("127.0.0.1")
                        .setPort(server.actualPort())
                        .setURI("/"))
                .onSuccess(
                    socket -> {
                      clientOnItsLoop.complete(VertxChannels.of(socket).eventLoop().inEventLoop());
                      connected.complete(socket);
                    });
            started.complete();
          });
      WebSocket client = connected.get(10, TimeUnit.SECONDS);
      Channel clientEnd = VertxChannels.of(client);
      Channel accepted = serverEnd.get(10, TimeUnit.SECONDS);

      assertThat(serverOnItsLoop.get()).as("a connection's context runs on its loop").isTrue();
      assertThat(clientOnItsLoop.get()).as("so does a client's, made where it connects").isTrue();
      assertThat(accepted.parent()).isSameAs(listening);
      assertThat(clientEnd.remoteAddress()).isEqualTo(accepted.localAddress());
      assertThat(clientEnd.localAddress()).isEqualTo(accepted.remoteAddress());

      client.writeBinaryMessage(Buffer.buffer(new byte[] {1, 2, 3}));
      await()
          .atMost(10, TimeUnit.SECONDS)
          .until(() -> framesSeen.peek() instanceof BinaryWebSocketFrame);
      client.close();
    }
  }

  /** Records what reaches it, and passes it on. */
  private static ChannelInboundHandlerAdapter recorder(Queue<Object> seen) {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object message) {
        seen.add(message);
        ctx.fireChannelRead(message);
      }
    };
  }
}
