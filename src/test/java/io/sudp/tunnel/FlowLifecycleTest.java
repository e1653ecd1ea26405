package io.sudp.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sudp.ops.ProtocolViolation;
import io.sudp.protocol.ListenFrame;
import io.sudp.protocol.ProtocolVersion;
import io.sudp.runtime.Role;
import io.sudp.runtime.TunnelRuntime;
import io.sudp.testing.Configs;
import io.sudp.testing.FreePorts;
import io.sudp.testing.UdpApp;
import io.sudp.testing.UdpEchoServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flows that expire, clients that leave, and peers that break the protocol. */
class FlowLifecycleTest {
  @TempDir Path dir;

  private UdpEchoServer echo;
  private TunnelRuntime server;
  private TunnelRuntime client;
  private int ws;
  private int tunnel;

  @BeforeEach
  void start() throws Exception {
    echo = new UdpEchoServer();
    ws = FreePorts.tcp();
    tunnel = FreePorts.udp();
    server =
        new TunnelRuntime(
            Configs.load(
                dir,
                "server.yaml",
                """
        server:
          listen: 127.0.0.1:%d
          # Short, for the expiry below, but long enough that a flow checked right after its
          # round trip is still there while a loaded machine pauses the test.
          idle-timeout: 3s
          allow: ["%s"]
        """
                    .formatted(ws, echo.address())),
            EnumSet.of(Role.SERVER));
    server.start();
    client =
        new TunnelRuntime(
            Configs.load(
                dir,
                "client.yaml",
                """
        client:
          server: ws://127.0.0.1:%d/sudp
          idle-timeout: 3s
          tunnels:
            - name: echo
              listen: 127.0.0.1:%d
              destination: %s
        """
                    .formatted(ws, tunnel, echo.address())),
            EnumSet.of(Role.CLIENT));
    client.start();
    await().until(() -> client.client().socket().isConnected());
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    server.close();
    echo.close();
  }

  @Test
  void idleFlowsExpireOnBothEndsAndANewDatagramOpensANewFlow() throws Exception {
    try (UdpApp app = new UdpApp(tunnel)) {
      assertThat(app.roundTrip(new byte[] {1})).containsExactly(1);
      assertThat(server.server().nat().flowCount()).isEqualTo(1);

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> server.server().nat().flowCount() == 0 && client.client().flowCount() == 0);

      assertThat(app.roundTrip(new byte[] {2})).containsExactly(2);
      assertThat(server.server().nat().flowCount()).isEqualTo(1);
    }
  }

  @Test
  void aClientThatDisconnectsTakesItsFlowsWithIt() throws Exception {
    try (UdpApp app = new UdpApp(tunnel)) {
      assertThat(app.roundTrip(new byte[] {1})).containsExactly(1);
      assertThat(server.server().nat().flowCount()).isEqualTo(1);
    }
    client.close();

    await().until(() -> server.server().socket().connectionCount() == 0);
    // The server counts the connection out just before it ends its session (and frees its flows
    // with it): wait for the end, then look.
    await().until(() -> server.server().sessions().size() == 0);
    assertThat(server.server().nat().flowCount()).isZero();
  }

  @Test
  void aPeerSendingGarbageIsDisconnectedAndNobodyElseNotices() throws Exception {
    try (UdpApp app = new UdpApp(tunnel)) {
      assertThat(app.roundTrip(new byte[] {1})).containsExactly(1);
      long malformedBefore = server.server().counters().violations(ProtocolViolation.MALFORMED);

      CloseListener listener = new CloseListener();
      WebSocket garbage = rawWebSocket(listener, ProtocolVersion.V1.subprotocol());
      garbage.sendBinary(ByteBuffer.wrap(new byte[] {0x7f, 1, 2, 3, 4, 5}), true);

      assertThat(listener.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(1002);
      assertThat(server.server().counters().violations(ProtocolViolation.MALFORMED))
          .isEqualTo(malformedBefore + 1);
      await().until(() -> server.server().socket().connectionCount() == 1);
      assertThat(app.roundTrip(new byte[] {2})).containsExactly(2);
      assertThat(client.client().socket().isConnected()).isTrue();
      assertThat(client.client().socket().reconnects()).as("the client's connection").isZero();
    }
  }

  @Test
  void anUpgradeWithoutTheProtocolVersionIsRefused() throws Exception {
    CloseListener listener = new CloseListener();
    CompletableFuture<WebSocket> attempt =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(URI.create("ws://127.0.0.1:" + ws + "/sudp"), listener);

    try {
      attempt.get(10, TimeUnit.SECONDS);
      throw new AssertionError("the upgrade was accepted");
    } catch (ExecutionException refused) {
      assertThat(refused.getCause()).isInstanceOf(WebSocketHandshakeException.class);
      WebSocketHandshakeException handshake = (WebSocketHandshakeException) refused.getCause();
      assertThat(handshake.getResponse().statusCode()).isEqualTo(400);
    }
  }

  @Test
  void theServerSpeaksTheHighestVersionOfferedAndNoFrameOfALaterOne() throws Exception {
    for (String[] offered : new String[][] {{"sudp.v1", "sudp.v2"}, {"sudp.v2", "sudp.v1"}}) {
      WebSocket socket = rawWebSocket(new CloseListener(), offered);
      assertThat(socket.getSubprotocol()).as(String.join(", ", offered)).isEqualTo("sudp.v2");
      socket.abort();
    }
    long malformedBefore = server.server().counters().violations(ProtocolViolation.MALFORMED);
    CloseListener listener = new CloseListener();
    WebSocket versionOne = rawWebSocket(listener, ProtocolVersion.V1.subprotocol());
    assertThat(versionOne.getSubprotocol()).isEqualTo("sudp.v1");
    ByteBuf listen = Unpooled.buffer();
    new ListenFrame(1, null, 5353).encodeTo(listen);

    versionOne.sendBinary(listen.nioBuffer(), true);

    assertThat(listener.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(1002);
    assertThat(server.server().counters().violations(ProtocolViolation.MALFORMED))
        .isEqualTo(malformedBefore + 1);
  }

  /** A WebSocket of the JDK's to the server, offering {@code versions}, once it is upgraded. */
  private WebSocket rawWebSocket(CloseListener listener, String... versions) throws Exception {
    return HttpClient.newHttpClient()
        .newWebSocketBuilder()
        .subprotocols(versions[0], Arrays.copyOfRange(versions, 1, versions.length))
        .buildAsync(URI.create("ws://127.0.0.1:" + ws + "/sudp"), listener)
        .get(10, TimeUnit.SECONDS);
  }

  /** Records how the server closed a raw WebSocket. */
  private static final class CloseListener implements WebSocket.Listener {
    final CompletableFuture<Integer> closeCode = new CompletableFuture<>();

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closeCode.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closeCode.completeExceptionally(error);
    }
  }
}
