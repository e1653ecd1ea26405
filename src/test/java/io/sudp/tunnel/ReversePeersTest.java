package io.sudp.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sudp.client.ReverseTunnels;
import io.sudp.ops.Refusal;
import io.sudp.protocol.AcceptFrame;
import io.sudp.protocol.CloseFrame;
import io.sudp.protocol.DataFrame;
import io.sudp.protocol.Destination;
import io.sudp.protocol.FlowCloseReason;
import io.sudp.protocol.Frame;
import io.sudp.protocol.FrameCodec;
import io.sudp.protocol.Limits;
import io.sudp.protocol.ListenFrame;
import io.sudp.protocol.ListenResult;
import io.sudp.protocol.ListenResultFrame;
import io.sudp.protocol.OpenFrame;
import io.sudp.protocol.ProtocolException;
import io.sudp.protocol.ProtocolVersion;
import io.sudp.protocol.SessionFrame;
import io.sudp.runtime.Role;
import io.sudp.runtime.TunnelRuntime;
import io.sudp.testing.CapturedLog;
import io.sudp.testing.Configs;
import io.sudp.testing.FreePorts;
import io.sudp.testing.UdpApp;
import io.sudp.testing.UdpEchoServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real client against a scripted server: one that speaks only protocol version 1, and a hostile
 * one that sends reverse flows for listeners never asked for, more than the client carries, and an
 * id twice.
 */
class ReversePeersTest {
  @TempDir Path dir;

  private final Vertx vertx = Vertx.vertx();
  private final Queue<Frame> received = new ConcurrentLinkedQueue<>();
  private final AtomicInteger undecodable = new AtomicInteger();
  private final AtomicInteger closeCode = new AtomicInteger();
  private volatile ServerWebSocket connected;
  private HttpServer fake;
  private TunnelRuntime client;
  private UdpEchoServer echo;

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (echo != null) {
      echo.close();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A server that speaks {@code version} only and records what the client sends. */
  private int startFakeServer(ProtocolVersion version) throws Exception {
    fake =
        vertx
            .createHttpServer(
                new HttpServerOptions()
                    .setHost("127.0.0.1")
                    .setWebSocketSubProtocols(List.of(version.subprotocol())))
            .webSocketHandler(
                socket -> {
                  socket.binaryMessageHandler(
                      message -> {
                        try {
                          received.addAll(FrameCodec.decode(message.getByteBuf(), version));
                        } catch (ProtocolException e) {
                          undecodable.incrementAndGet();
                        }
                      });
                  socket.closeHandler(
                      ignored ->
                          closeCode.set(
                              socket.closeStatusCode() == null ? -1 : socket.closeStatusCode()));
                  send(socket, new SessionFrame(false));
                  connected = socket;
                })
            .listen(0)
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    return fake.actualPort();
  }

  private static void send(ServerWebSocket socket, Frame... frames) {
    ByteBuf message = Unpooled.buffer();
    for (Frame frame : frames) {
      frame.encodeTo(message);
    }
    socket.writeBinaryMessage(Buffer.buffer(message));
  }

  private TunnelRuntime startClient(String yaml) throws Exception {
    TunnelRuntime started =
        new TunnelRuntime(Configs.load(dir, "client.yaml", yaml), EnumSet.of(Role.CLIENT));
    started.start();
    return started;
  }

  /** A client with one reverse tunnel, {@code echo} (port 5353), to the echo; {@code more} keys. */
  private TunnelRuntime startEchoClient(int ws, String more) throws Exception {
    return startClient(
        """
        client:
          server: ws://127.0.0.1:%d/sudp
          %s
          reverse-allow: ["%s"]
          reverse-tunnels:
            - name: echo
              remote-listen: 5353
              destination: %s
        """
            .formatted(ws, more, echo.address(), echo.address()));
  }

  private <T extends Frame> List<T> receivedOf(Class<T> type) {
    List<T> frames = new ArrayList<>();
    for (Frame frame : received) {
      if (type.isInstance(frame)) {
        frames.add(type.cast(frame));
      }
    }
    return frames;
  }

  @Test
  void aVersionOneServerGetsNoListenerButTheForwardTunnelsStillWork() throws Exception {
    int ws = startFakeServer(ProtocolVersion.V1);
    int tunnel = FreePorts.udp();
    try (CapturedLog log = CapturedLog.of(ReverseTunnels.class)) {
      client =
          startClient(
              """
              client:
                server: ws://127.0.0.1:%d/sudp
                reverse-allow: ["127.0.0.1:53"]
                reverse-tunnels:
                  - name: dns
                    remote-listen: 5353
                    destination: 127.0.0.1:53
                tunnels:
                  - name: out
                    listen: 127.0.0.1:%d
                    destination: 192.0.2.9:9
              """
                  .formatted(ws, tunnel));
      await().until(() -> connected != null);
      try (UdpApp app = new UdpApp(tunnel)) {
        app.send(new byte[] {5});
        await().until(() -> !receivedOf(DataFrame.class).isEmpty());
      }
      assertThat(receivedOf(OpenFrame.class)).hasSize(1);
      assertThat(undecodable).hasValue(0); // no frame of version 2 was sent
      assertThat(client.client().counters().refusals(Refusal.REVERSE_LISTEN)).isEqualTo(1);

      connected.close();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> client.client().counters().refusals(Refusal.REVERSE_LISTEN) == 2);
      assertThat(log.count("server speaks sudp.v1 only: reverse tunnels need sudp.v2"))
          .isEqualTo(1);
    }
  }

  @Test
  void aHostileServersReverseFlowsAreBoundedAndItsMistakesRefused() throws Exception {
    echo = new UdpEchoServer();
    int ws = startFakeServer(ProtocolVersion.V2);
    client = startEchoClient(ws, "reverse-max-flows: 4");
    await().until(() -> !receivedOf(ListenFrame.class).isEmpty());
    assertThat(receivedOf(ListenFrame.class)).containsExactly(new ListenFrame(1, null, 5353));
    Destination peer = Destination.parse("198.51.100.7:4000");

    send(connected, new AcceptFrame(Limits.REVERSE_FLOW_BIT | 1, 9, peer, 0));
    await().until(() -> !receivedOf(CloseFrame.class).isEmpty());
    assertThat(receivedOf(CloseFrame.class))
        .containsExactly(
            new CloseFrame(Limits.REVERSE_FLOW_BIT | 1, FlowCloseReason.UNKNOWN_LISTENER));

    List<Frame> accepts = new ArrayList<>();
    for (int id = 2; id <= 11; id++) {
      accepts.add(new AcceptFrame(Limits.REVERSE_FLOW_BIT | id, 1, peer, 0));
    }
    send(connected, accepts.toArray(Frame[]::new));
    await().until(() -> receivedOf(CloseFrame.class).size() == 7);
    assertThat(receivedOf(CloseFrame.class).stream().skip(1).map(CloseFrame::reason))
        .containsOnly(FlowCloseReason.FLOW_LIMIT);
    assertThat(client.client().reverseFlowCount()).isEqualTo(4);

    byte[] payload = {1, 2, 3};
    send(connected, new DataFrame(Limits.REVERSE_FLOW_BIT | 2, 0, payload));
    await().until(() -> !receivedOf(DataFrame.class).isEmpty());
    DataFrame reply = receivedOf(DataFrame.class).get(0);
    assertThat(reply.flowId()).isEqualTo(Limits.REVERSE_FLOW_BIT | 2);
    assertThat(reply.payload()).containsExactly(payload);

    send(connected, new AcceptFrame(Limits.REVERSE_FLOW_BIT | 2, 1, peer, 0));
    await().until(() -> closeCode.get() == 1002);
  }

  @Test
  void aListenerTheServerRefusedCarriesNoSenderAndAListenFromTheServerIsAViolation()
      throws Exception {
    echo = new UdpEchoServer();
    int ws = startFakeServer(ProtocolVersion.V2);
    client = startEchoClient(ws, "");
    await().until(() -> !receivedOf(ListenFrame.class).isEmpty());
    ServerWebSocket first = connected;
    int refused = Limits.REVERSE_FLOW_BIT | 1;

    send(
        first,
        new ListenResultFrame(1, ListenResult.NOT_ALLOWED, 0),
        new AcceptFrame(refused, 1, Destination.parse("198.51.100.7:4000"), 0),
        new DataFrame(refused, 0, new byte[] {9}));
    await().until(() -> !receivedOf(CloseFrame.class).isEmpty());
    assertThat(receivedOf(CloseFrame.class))
        .containsExactly(new CloseFrame(refused, FlowCloseReason.UNKNOWN_LISTENER));
    assertThat(serverAnswer()).isEqualTo(ListenResult.NOT_ALLOWED.reason());
    assertThat(echo.received()).as("nothing carried for a refused listener").isZero();

    // A new connection's server has not answered yet: the last one's refusal is not shown.
    first.close();
    await().until(() -> connected != first && receivedOf(ListenFrame.class).size() == 2);
    assertThat(serverAnswer()).isNull();

    send(connected, new ListenFrame(7, null, 4444)); // only a client sends LISTEN
    await().until(() -> closeCode.get() == 1002);
  }

  private String serverAnswer() {
    return client
        .statusJson()
        .getJsonObject("client")
        .getJsonArray("reverseTunnels")
        .getJsonObject(0)
        .getString("server");
  }
}
