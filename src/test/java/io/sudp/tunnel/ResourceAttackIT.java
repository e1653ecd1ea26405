package io.sudp.tunnel;

import static io.sudp.testing.UnderAttack.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.protocol.DataFrame;
import io.sudp.protocol.Destination;
import io.sudp.protocol.Frame;
import io.sudp.protocol.OpenFrame;
import io.sudp.testing.ManagedServer;
import io.sudp.testing.RawWebSocket;
import io.sudp.testing.UdpApp;
import io.sudp.testing.UdpEchoServer;
import io.sudp.testing.UnderAttack;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks on what the server holds for a peer (memory, sockets, file descriptors) made with raw
 * sockets against a real server process with a small heap while a well-behaved client streams
 * through it ({@link UnderAttack}). After each, the server is unharmed and every refusal was
 * counted under its cause. Running out of heap would end the server ({@code
 * -XX:+ExitOnOutOfMemoryError}), and the test with it.
 */
class ResourceAttackIT {
  private static final int MAX_FLOWS = 3000;
  private static final int FLOWS_PER_CONNECTION = 1500;

  @TempDir Path dir;

  private UnderAttack target;
  private ManagedServer server;
  private UdpEchoServer echo;

  @BeforeEach
  void start() throws Exception {
    target =
        new UnderAttack(
            dir,
            """
        handshake-timeout: 5s
        max-handshakes: 64
        max-flows: %d
        max-flows-per-connection: %d
        resume-timeout: 5m
        resolve-timeout: 2s"""
                .formatted(MAX_FLOWS, FLOWS_PER_CONNECTION),
            0);
    server = target.server();
    echo = target.echo();
  }

  @AfterEach
  void stop() throws Exception {
    target.close();
  }

  private static Destination destination(String address) {
    return Destination.parse(address);
  }

  @Test
  void namesThatNeverResolveCannotMakeTheServerHoldTheirDatagrams() throws Exception {
    byte[] big = new byte[60_000];
    for (int connection = 0; connection < 8; connection++) {
      RawWebSocket attacker = target.attacker(0);
      for (int flow = 1; flow <= 200; flow++) {
        // Allowed by 0.0.0.0/0:53 once resolved, so it must be resolved, and never is.
        Destination slow = destination("slow-" + connection + "-" + flow + ".example:53");
        attacker.binary(message(new OpenFrame(flow, slow, 0), new DataFrame(flow, 0, big)));
        attacker.binary(message(new DataFrame(flow, 1, big), new DataFrame(flow, 2, big)));
      }
      // Not allowed whatever it resolves to: refused before resolving.
      attacker.binary(
          message(
              new OpenFrame(1_000, destination("nope.example:54"), 0),
              new DataFrame(1_000, 0, big)));
    }
    // The last messages may still wait in the sockets' buffers when the loop ends: waited for.
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(server.count("drops", "unresolvable"))
                  .as("names that never resolved")
                  .isPositive();
              assertThat(server.count("drops", "resolve_limit"))
                  .as("flows refused: too many resolving")
                  .isGreaterThan(1_000);
              assertThat(server.count("drops", "queue_full"))
                  .as("datagrams over a resolving flow's queue")
                  .isGreaterThan(0);
              assertThat(server.count("drops", "forbidden"))
                  .as("names refused without resolving")
                  .isEqualTo(8);
            });
    target.assertUnharmed();
  }

  @Test
  void pingsThatAreNeverReadGetNoQueueOfPongs() throws Exception {
    byte[] ping = new byte[125];
    List<Thread> flooders = new ArrayList<>();
    List<IOException> cutShort = new CopyOnWriteArrayList<>();
    for (int connection = 0; connection < 2; connection++) {
      RawWebSocket attacker = target.attacker(4096);
      Thread flooder =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < 150_000; i++) { // 20 MB of pings, never reading a pong
                    attacker.frame(true, 0, RawWebSocket.PING, ping, true);
                  }
                } catch (IOException e) {
                  cutShort.add(e); // a thread's exception would end it unseen
                }
              });
      flooder.start();
      flooders.add(flooder);
    }
    for (Thread flooder : flooders) {
      flooder.join(120_000);
      assertThat(flooder.isAlive()).as("flood sent within 2 minutes").isFalse();
    }
    assertThat(cutShort).as("floods the server cut short").isEmpty();
    target.assertUnharmed();
  }

  @Test
  void messagesLeftUnfinishedCannotFillTheHeap() throws Exception {
    for (int i = 0; i < 600; i++) { // 78 MB of unfinished messages in all
      RawWebSocket attacker = target.attacker(0);
      try {
        attacker.frame(false, 0, RawWebSocket.BINARY, new byte[65_537], true);
        attacker.frame(false, 0, RawWebSocket.CONTINUATION, new byte[65_535], true);
      } catch (IOException closedForNoRoom) {
        // refused (1013) while still sending
      }
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> server.count("refusals", "memory_budget") > 0);
    target.assertUnharmed();
  }

  @Test
  void connectionsThatDoNotUpgradeAreClosedAndCannotLockOthersOut() throws Exception {
    List<Socket> refused = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      Socket plain = target.closeLater(new Socket("127.0.0.1", target.ws()));
      plain.setSoTimeout(30_000);
      plain
          .getOutputStream()
          .write("GET /sudp HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      refused.add(plain);
    }
    List<Socket> idle = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      Socket silent = target.closeLater(new Socket("127.0.0.1", target.ws()));
      silent.setSoTimeout(30_000);
      idle.add(silent);
    }
    // A client arriving now still gets in: the longest-waiting idle connections make room. Its
    // own datagram is counted (the well-behaved stream reaches the echo all along).
    byte[] newcomers = {42};
    AtomicInteger echoedForNewcomer = new AtomicInteger();
    echo.observe(
        payload -> {
          if (Arrays.equals(payload, newcomers)) {
            echoedForNewcomer.incrementAndGet();
          }
        });
    try (RawWebSocket newcomer = target.attacker(0)) {
      newcomer.binary(
          message(
              new OpenFrame(1, destination(echo.address()), 0), new DataFrame(1, 0, newcomers)));
      await().atMost(Duration.ofSeconds(30)).until(() -> echoedForNewcomer.get() == 1);
    }
    for (Socket socket : refused) {
      assertThat(readsToEnd(socket)).as("a refused request's connection is closed").isTrue();
    }
    for (Socket socket : idle) {
      assertThat(readsToEnd(socket)).as("an idle connection is closed").isTrue();
    }
    // Requests are refused as they come, or closed unread when a flood of connections pushed
    // them out first: each connection counted, under one cause (a reconnect of the well-behaved
    // client during the flood may be among them).
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        server.count("refusals", "bad_upgrade")
                            + server.count("refusals", "too_many_handshakes")
                            + server.count("refusals", "handshake_timeout"))
                    .isBetween(600L, 602L));
    // 300 idle connections beyond max-handshakes (64) must push some out; whether any request
    // was read and refused before that depends on how fast the server reads, so is not asserted.
    assertThat(server.count("refusals", "too_many_handshakes")).isPositive();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> server.status().getInteger("handshakes") == 0);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> server.openFileDescriptors() <= target.fdsBefore() + 8);
    target.assertUnharmed();
  }

  /** Whether the server closes {@code socket} before its read timeout. */
  private static boolean readsToEnd(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    try {
      while (in.read(new byte[1024]) >= 0) {
        // the 400 and whatever else came before the close
      }
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (java.net.SocketException reset) {
      // closed all the same
    }
    return true;
  }

  @Test
  void sessionsLeftWaitingGiveTheirFlowsToClientsThatAreHere() throws Exception {
    Destination echoed = destination(echo.address());
    byte[] marker = {7, 7, 7};
    AtomicInteger echoedForAttacker = new AtomicInteger();
    echo.observe(
        payload -> {
          if (Arrays.equals(payload, marker)) {
            echoedForAttacker.incrementAndGet();
          }
        });
    for (int round = 0; round < 4; round++) {
      RawWebSocket attacker = target.attacker(0);
      for (int from = 1; from <= FLOWS_PER_CONNECTION; from += 100) {
        List<Frame> frames = new ArrayList<>();
        for (int flow = from; flow < from + 100; flow++) {
          frames.add(new OpenFrame(flow, echoed, 0));
          frames.add(new DataFrame(flow, 0, marker));
        }
        attacker.binary(message(frames.toArray(Frame[]::new)));
      }
      int expected = (round + 1) * FLOWS_PER_CONNECTION;
      await().atMost(Duration.ofSeconds(60)).until(() -> echoedForAttacker.get() == expected);
      attacker.reset(); // no close: the session waits to be resumed, with its flows
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> server.status().getInteger("connections") == 1);
    }
    // The server counts a connection out just before its session starts to wait: waited for.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(server.status().getInteger("waitingSessions")).isBetween(1, 2));
    assertThat(server.status().getInteger("flows")).isLessThanOrEqualTo(MAX_FLOWS);
    assertThat(server.openFileDescriptors())
        .as("file descriptors with %d flows at most", MAX_FLOWS)
        .isLessThan(target.fdsBefore() + MAX_FLOWS + 16);

    // New flows of the client that is here all open: waiting sessions give way.
    for (int i = 0; i < 20; i++) {
      UdpApp app = target.closeLater(new UdpApp(target.tunnel()));
      assertThat(app.roundTrip(new byte[] {(byte) i}))
          .as("new flow %d", i)
          .containsExactly((byte) i);
    }
    assertThat(server.count("drops", "flow_limit")).isZero();
    target.assertUnharmed();
  }
}
