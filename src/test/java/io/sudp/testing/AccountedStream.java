package io.sudp.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.ops.DropCause;
import io.sudp.ops.TrafficCounters;
import java.io.IOException;
import java.time.Duration;

/**
 * A steady stream of datagrams through a tunnel to an echo destination, ten in flight at a time,
 * with something done to the tunnel at chosen rounds; then every datagram must be accounted for:
 * delivered, dropped by cause at either end, or counted lost in transit.
 */
public final class AccountedStream {
  /** What to do to the tunnel before a round. */
  @FunctionalInterface
  public interface Disturbance {
    void before(int round) throws Exception;
  }

  private final UdpApp app;
  private final UdpEchoServer echo;
  private long sent;
  private long replies;

  public AccountedStream(UdpApp app, UdpEchoServer echo) {
    this.app = app;
    this.echo = echo;
  }

  public void run(int rounds, Disturbance disturbance) throws Exception {
    for (int round = 0; round < rounds; round++) {
      disturbance.before(round);
      for (int i = 0; i < 10; i++) {
        app.send(new byte[] {(byte) round, (byte) i});
        sent++;
      }
      // Ten in flight at a time, so no socket buffer on the way overflows unseen.
      for (int i = 0; i < 10 && app.receive(200) != null; i++) {
        replies++;
      }
    }
  }

  /**
   * Waits until the counts balance: upstream, sent = delivered + lost + dropped; downstream, echoed
   * = received + lost (+ dropped).
   */
  public void assertEverythingAccountedFor(TrafficCounters server, TrafficCounters client) {
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              drainReplies();
              assertThat(echo.received() + server.lost() + drops(server) + drops(client))
                  .as("sent = delivered + lost + dropped, upstream")
                  .isEqualTo(sent);
              assertThat(replies + client.lost())
                  .as("echoed = received + lost, downstream")
                  .isEqualTo(echo.received());
            });
    assertThat(server.reordered() + client.reordered()).isZero();
  }

  private void drainReplies() throws IOException {
    while (app.receive(1) != null) {
      replies++;
    }
  }

  private static long drops(TrafficCounters counters) {
    long total = 0;
    for (DropCause cause : DropCause.values()) {
      total += counters.drops(cause);
    }
    return total;
  }
}
