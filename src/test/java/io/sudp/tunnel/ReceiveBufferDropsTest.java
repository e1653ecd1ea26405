package io.sudp.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import io.netty.util.concurrent.EventExecutor;
import io.sudp.ops.DropCause;
import io.sudp.ops.TrafficCounters;
import io.sudp.runtime.Role;
import io.sudp.runtime.TunnelRuntime;
import io.sudp.testing.FreePorts;
import io.sudp.testing.KernelSocketDrops;
import io.sudp.testing.Runtimes;
import io.sudp.testing.UdpApp;
import io.sudp.testing.UdpEchoServer;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Datagrams the kernel drops at a tunnel's sockets because their receive buffer is full, which no
 * other count saw: while a process's event loops are held, a flood of empty datagrams overflows the
 * client's listening socket, or a server flow's socket, and once the loops run again the drops the
 * kernel shows for that socket appear, exactly, under {@code receive_buffer_full} in the metrics
 * and the status, and in the tunnel's or the user's drops.
 */
class ReceiveBufferDropsTest {
  @TempDir Path dir;

  @BeforeEach
  void onEpoll() {
    assumeTrue(Epoll.isAvailable() && KernelSocketDrops.shown(), "epoll and /proc/net/udp");
  }

  @Test
  void dropsAtTheListeningSocketAreCounted() throws Exception {
    int ws = FreePorts.tcp();
    int tunnelPort = FreePorts.udp();
    try (UdpEchoServer echo = new UdpEchoServer();
        TunnelRuntime server =
            start(
                Role.SERVER,
                """
            server:
              listen: 127.0.0.1:%d
              allow: ["%s"]
            """
                    .formatted(ws, echo.address()));
        TunnelRuntime client =
            start(
                Role.CLIENT,
                """
            client:
              server: ws://127.0.0.1:%d/sudp
              tunnels:
                - {name: echo, listen: "127.0.0.1:%d", destination: "%s",
                   receive-buffer: 4096}
            """
                    .formatted(ws, tunnelPort, echo.address()));
        UdpApp app = new UdpApp(tunnelPort);
        DatagramChannel flood = DatagramChannel.open()) {
      await().until(() -> app.roundTrip(new byte[] {1}) != null);

      long dropped;
      try (Held held = Held.loopsOf(client)) {
        dropped =
            KernelSocketDrops.floodPast(flood, new InetSocketAddress("127.0.0.1", tunnelPort), 0);
      }

      long kernel = settled(client.client().counters(), tunnelPort, dropped);
      awaitShown(
          client,
          "client",
          "tunnels",
          "sudp_tunnel_drops_total{role=\"client\",tunnel=\"echo\"}",
          kernel);
      assertThat(client.status()).contains("receive_buffer_full=" + kernel);
    }
  }

  @Test
  void dropsAtAFlowSocketAreCounted() throws Exception {
    int ws = FreePorts.tcp();
    int tunnelPort = FreePorts.udp();
    try (DatagramChannel destination =
            DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        TunnelRuntime server =
            start(
                Role.SERVER,
                """
            server:
              listen: 127.0.0.1:%d
              allow: ["127.0.0.1:%d"]
            """
                    .formatted(ws, port(destination)));
        TunnelRuntime client =
            start(
                Role.CLIENT,
                """
            client:
              server: ws://127.0.0.1:%d/sudp
              tunnels:
                - {name: flood, listen: "127.0.0.1:%d", destination: "127.0.0.1:%d"}
            """
                    .formatted(ws, tunnelPort, port(destination)));
        UdpApp app = new UdpApp(tunnelPort)) {
      InetSocketAddress flow = firstSender(destination, app);

      long dropped;
      try (Held held = Held.loopsOf(server)) {
        dropped = KernelSocketDrops.floodPast(destination, flow, 0);
      }

      long kernel = settled(server.server().counters(), flow.getPort(), dropped);
      awaitShown(
          server, "server", "users", "sudp_user_drops_total{role=\"server\",user=\"-\"}", kernel);
    }
  }

  /**
   * Waits until {@code runtime}'s status and metrics show {@code kernel} drops under {@code
   * receive_buffer_full} and for its one tunnel or user ({@code part} of the status, {@code
   * partMetric} its metric): the socket's loop adds them to the counters and then to the tunnel's
   * or user's, a moment later.
   */
  private static void awaitShown(
      TunnelRuntime runtime, String role, String part, String partMetric, long kernel) {
    await()
        .untilAsserted(
            () -> {
              JsonObject status = runtime.statusJson().getJsonObject(role);
              assertThat(
                      status
                          .getJsonObject("counts")
                          .getJsonObject("drops")
                          .getLong("receive_buffer_full"))
                  .isEqualTo(kernel);
              assertThat(
                      status
                          .getJsonArray(part)
                          .getJsonObject(0)
                          .getJsonObject("traffic")
                          .getLong("drops"))
                  .isEqualTo(kernel);
              assertThat(Runtimes.metrics(runtime))
                  .contains(
                      "sudp_drops_total{cause=\"receive_buffer_full\",role=\"%s\"} %d.0"
                          .formatted(role, kernel))
                  .contains(partMetric + " " + kernel + ".0");
            });
  }

  /**
   * Waits until {@code counters} show, under {@code receive_buffer_full}, what the kernel shows for
   * the socket on {@code port} (at least {@code dropped}, more if datagrams still on their way
   * through loopback were dropped after), and returns it.
   */
  private static long settled(TrafficCounters counters, int port, long dropped) {
    long[] kernel = {0};
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              kernel[0] = KernelSocketDrops.atPort(port);
              assertThat(counters.drops(DropCause.RECEIVE_BUFFER_FULL)).isEqualTo(kernel[0]);
            });
    assertThat(kernel[0]).isGreaterThanOrEqualTo(dropped).isPositive();
    return kernel[0];
  }

  /** Sends through the tunnel until a datagram reaches {@code destination}; the flow's address. */
  private static InetSocketAddress firstSender(DatagramChannel destination, UdpApp app)
      throws Exception {
    destination.configureBlocking(false);
    InetSocketAddress[] sender = {null};
    await()
        .until(
            () -> {
              app.send(new byte[] {1});
              sender[0] = (InetSocketAddress) destination.receive(ByteBuffer.allocate(16));
              return sender[0] != null;
            });
    return new InetSocketAddress("127.0.0.1", sender[0].getPort());
  }

  private static int port(DatagramChannel channel) throws Exception {
    return ((InetSocketAddress) channel.getLocalAddress()).getPort();
  }

  private TunnelRuntime start(Role role, String yaml) throws Exception {
    return Runtimes.start(role, dir, role + ".yaml", "management:\n  listen: 127.0.0.1:0\n" + yaml);
  }

  /** Every event loop of a runtime held busy, so that none reads its sockets, until closed. */
  private static final class Held implements AutoCloseable {
    private final CountDownLatch release = new CountDownLatch(1);

    static Held loopsOf(TunnelRuntime runtime) throws InterruptedException {
      Held held = new Held();
      int loops = 0;
      for (EventExecutor ignored : runtime.vertx().nettyEventLoopGroup()) {
        loops++;
      }
      CountDownLatch holding = new CountDownLatch(loops);
      for (EventExecutor loop : runtime.vertx().nettyEventLoopGroup()) {
        loop.execute(
            () -> {
              holding.countDown();
              try {
                held.release.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
      }
      assertThat(holding.await(10, TimeUnit.SECONDS)).as("loops held").isTrue();
      return held;
    }

    @Override
    public void close() {
      release.countDown();
    }
  }
}
