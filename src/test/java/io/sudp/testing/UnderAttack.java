package io.sudp.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.sudp.protocol.Frame;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real server process with a small heap and {@code -XX:+ExitOnOutOfMemoryError}, a real client
 * process in front of it, and a well-behaved application streaming through both to an echo service,
 * for attacks to be tried against. {@link #assertUnharmed} checks what every attack must leave as
 * it was.
 */
public final class UnderAttack implements AutoCloseable {
  public static final String HEAP = "-Xmx128m";
  private static final long HEAP_BOUND = 64L << 20;
  private static final long LOG_BOUND = 48 * 1024;

  private final List<AutoCloseable> closing = new ArrayList<>();
  private final UdpEchoServer echo;
  private final DatagramSocket silentDns;
  private final ManagedServer server;
  private final int ws;
  private final int tunnel;
  private final PacedStream legit;
  private final long logBefore;
  private final long fdsBefore;

  /**
   * @param serverSettings more {@code server:} keys, indented as in the section
   * @param fileDescriptors the server's limit of open files (0: as the test has)
   */
  public UnderAttack(Path dir, String serverSettings, int fileDescriptors) throws Exception {
    echo = new UdpEchoServer();
    silentDns = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0)); // never answers
    ws = FreePorts.tcp();
    int management = FreePorts.tcp();
    tunnel = FreePorts.udp();
    Path serverConfig =
        Configs.write(
            dir,
            "server.yaml",
            """
        server:
          listen: 127.0.0.1:%d
          dns-servers: ["127.0.0.1:%d"]
          allow: ["%s", "0.0.0.0/0:53"]
        %s
        management:
          listen: 127.0.0.1:%d
        """
                .formatted(
                    ws,
                    silentDns.getLocalPort(),
                    echo.address(),
                    serverSettings.indent(2).stripTrailing(),
                    management));
    server =
        ManagedServer.start(
            dir,
            serverConfig,
            management,
            List.of(HEAP, "-XX:+ExitOnOutOfMemoryError"),
            fileDescriptors);
    PacedStream stream = null;
    try {
      Path clientConfig =
          Configs.write(dir, "client.yaml", Configs.echoClient(ws, tunnel, echo.address()));
      closing.add(RealProcess.sudp(dir, "client", "client", "-c", clientConfig.toString()));
      try (UdpApp app = new UdpApp(tunnel)) {
        await().atMost(Duration.ofSeconds(60)).until(() -> app.roundTrip(new byte[] {1}) != null);
      }
      stream = new PacedStream(tunnel, Duration.ofMillis(20));
      stream.awaitFlowing(10);
      logBefore = server.process().outputSize();
      fdsBefore = server.openFileDescriptors();
    } catch (Exception | Error failed) {
      // Not constructed, so never closed by the test: the processes would outlive it.
      if (stream != null) {
        stream.close();
      }
      for (AutoCloseable resource : closing) {
        resource.close();
      }
      server.close();
      silentDns.close();
      echo.close();
      throw failed;
    }
    legit = stream;
  }

  public ManagedServer server() {
    return server;
  }

  public UdpEchoServer echo() {
    return echo;
  }

  /** The server's WebSocket port. */
  public int ws() {
    return ws;
  }

  /** The client's tunnel to the echo service. */
  public int tunnel() {
    return tunnel;
  }

  /** Open file descriptors of the server before the attack. */
  public long fdsBefore() {
    return fdsBefore;
  }

  /** A raw WebSocket connection to the server, closed with the test. */
  public RawWebSocket attacker(int receiveBuffer) throws IOException {
    RawWebSocket attacker = RawWebSocket.connect(ws, "/sudp", receiveBuffer);
    closing.add(attacker);
    return attacker;
  }

  /** Closes {@code resource} with the test. */
  public <T extends AutoCloseable> T closeLater(T resource) {
    closing.add(resource);
    return resource;
  }

  /** One WebSocket message holding {@code frames}. */
  public static byte[] message(Frame... frames) {
    ByteBuf buffer = Unpooled.buffer();
    for (Frame frame : frames) {
      frame.encodeTo(buffer);
    }
    return ByteBufUtil.getBytes(buffer);
  }

  /**
   * The server is up and answers {@code /health/live}, the well-behaved stream still flows and lost
   * nothing, the heap after a full collection and the log's growth are within bounds.
   */
  public void assertUnharmed() throws Exception {
    assertThat(server.process().isAlive()).as("server process alive").isTrue();
    // Asked until it answers (each ask waits 5 s): a loaded machine may still be catching up
    // with what the attack left; a server that is gone or hung never answers.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(server.live()).as("/health/live").isEqualTo(200));
    legit.awaitFlowing(20);
    assertThat(server.heapAfterGc()).as("heap after a full collection").isLessThan(HEAP_BOUND);
    assertThat(server.process().outputSize() - logBefore)
        .as("log bytes written during the attack")
        .isLessThan(LOG_BOUND);
    legit.stopAndAssertNothingLost();
  }

  @Override
  public void close() throws Exception {
    legit.close();
    for (AutoCloseable resource : closing) {
      resource.close();
    }
    server.close();
    silentDns.close();
    echo.close();
  }
}
