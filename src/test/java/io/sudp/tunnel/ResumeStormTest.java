package io.sudp.tunnel;

import static io.sudp.testing.UnderAttack.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.protocol.DataFrame;
import io.sudp.protocol.Destination;
import io.sudp.protocol.OpenFrame;
import io.sudp.runtime.Role;
import io.sudp.runtime.TunnelRuntime;
import io.sudp.testing.FreePorts;
import io.sudp.testing.RawUpgrade;
import io.sudp.testing.RawWebSocket;
import io.sudp.testing.Runtimes;
import io.sudp.testing.UdpEchoServer;
import io.sudp.transport.WsServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connections that resume one session as fast as they can, each replacing the one before while it
 * may still be being set up: the server's books stay right, and a client that comes later gets in.
 */
class ResumeStormTest {
  private static final String SESSION = "0123456789abcdef0123456789abcdef";

  @TempDir Path dir;

  @Test
  void connectionsReplacingEachOtherLeaveNothingBehind() throws Exception {
    int ws = FreePorts.tcp();
    try (TunnelRuntime server =
        Runtimes.start(
            Role.SERVER,
            dir,
            "server.yaml",
            """
        server:
          listen: 127.0.0.1:%d
          max-connections: 4
        """
                .formatted(ws))) {
      WsServer socket = server.server().socket();
      URI uri = URI.create("ws://127.0.0.1:" + ws + "/sudp");
      List<Thread> storm = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        Thread thread =
            new Thread(
                () -> {
                  HttpClient http = HttpClient.newHttpClient();
                  for (int i = 0; i < 100; i++) {
                    try {
                      http.newWebSocketBuilder()
                          .subprotocols("sudp.v1")
                          .header("Sudp-Session", SESSION)
                          .buildAsync(uri, new WebSocket.Listener() {})
                          .get(10, TimeUnit.SECONDS);
                    } catch (Exception refusedOrReplaced) {
                      // part of the storm
                    }
                  }
                });
        thread.start();
        storm.add(thread);
      }
      for (Thread thread : storm) {
        thread.join(120_000);
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> socket.connectionCount() <= 1);
      assertThat(server.server().sessions().size()).isEqualTo(1);

      assertThat(RawUpgrade.status(HttpClient.newHttpClient(), uri.toString(), null))
          .as("a client that comes after the storm")
          .isEqualTo(101);
    }
  }

  @Test
  void messagesOnTheirWayWhenASessionEndsDoNotStartItAgain() throws Exception {
    int ws = FreePorts.tcp();
    try (UdpEchoServer echo = new UdpEchoServer();
        TunnelRuntime server =
            Runtimes.start(
                Role.SERVER,
                dir,
                "server.yaml",
                """
            server:
              listen: 127.0.0.1:%d
              allow: ["%s"]
            """
                    .formatted(ws, echo.address()))) {
      Destination destination = Destination.parse(echo.address());
      for (int round = 0; round < 300; round++) {
        String session = String.format("%032x", round);
        RawWebSocket sender = RawWebSocket.connect(ws, "/sudp", 0, session);
        AtomicBoolean stop = new AtomicBoolean();
        Thread opener =
            new Thread(
                () -> {
                  for (int flow = 1; !stop.get(); flow++) {
                    try {
                      sender.binary(
                          message(
                              new OpenFrame(flow, destination, 0),
                              new DataFrame(flow, 0, new byte[] {1})));
                    } catch (IOException closed) {
                      return;
                    }
                  }
                });
        opener.start();
        // A newer connection of the session takes over and leaves for good (1000): the session
        // ends while the first connection's messages are still on their way.
        try (RawWebSocket newer = RawWebSocket.connect(ws, "/sudp", 0, session)) {
          newer.frame(true, 0, 8, new byte[] {0x03, (byte) 0xe8}, true);
          newer.awaitClose();
        }
        stop.set(true);
        opener.join(30_000);
        assertThat(opener.isAlive()).as("the opener stopped writing").isFalse();
        // Had the server seen the newer connection first, the first one is the session now: it
        // leaves for good too, and waits for the server's answer before it closes TCP. Closed
        // at once, with frames of the server unread, TCP would reset the connection, and a server
        // still reading this connection's messages would see it lost without a close frame: the
        // session would wait for its client for the resume timeout, as long as this test waits.
        try {
          sender.frame(true, 0, 8, new byte[] {0x03, (byte) 0xe8}, true);
          sender.awaitClose();
        } catch (IOException replaced) {
          // the server closed it already
        }
        sender.close();
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                assertThat(server.server().sessions().size()).isZero();
                assertThat(server.server().nat().flowCount())
                    .as("flows of ended sessions")
                    .isZero();
              });
    }
  }
}
