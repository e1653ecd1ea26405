package io.sudp.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sudp.runtime.Role;
import io.sudp.runtime.TunnelRuntime;
import io.sudp.testing.Configs;
import io.sudp.testing.FreePorts;
import io.sudp.testing.UdpApp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Server, client and echo service in one process, as README's first command runs them: the client's
 * connection and its listening socket may then sit on different event loops, so a burst of replies
 * reaches the listener from another thread.
 */
class OneProcessBurstTest {
  @TempDir Path dir;

  /**
   * @param equalSizes all datagrams of 1,200 bytes, as in a bulk transfer: the echo answers in
   *     segmented sends and the server's flow socket reads them as coalesced runs; otherwise 1 to
   *     1,400 bytes, a run of equal sizes nowhere
   */
  @ParameterizedTest(name = "equal sizes: {0}")
  @ValueSource(booleans = {false, true})
  void aBurstComesBackWholeAndInOrder(boolean equalSizes) throws Exception {
    assumeTrue(
        Long.parseLong(Files.readAllLines(Path.of("/proc/sys/net/core/rmem_max")).get(0))
            >= 4 << 20,
        "net.core.rmem_max of 4 MiB, so the kernel may hold the burst");
    int tunnelPort = FreePorts.udp();
    // With a management port, as shipped: it takes a loop, and the connection lands on another
    // than the listener's.
    TunnelRuntime runtime =
        new TunnelRuntime(
            Configs.load(
                dir,
                "all.yaml",
                "management:\n  listen: 127.0.0.1:0\n"
                    + Configs.loopbackTunnel(FreePorts.tcp(), tunnelPort, FreePorts.udp())),
            EnumSet.allOf(Role.class));
    try (runtime;
        UdpApp app = new UdpApp(tunnelPort)) {
      runtime.start();
      // Unlike any datagram of the burst: a late echo of a second copy is told from the burst's.
      byte[] warmUp = "warm-up".getBytes(StandardCharsets.US_ASCII);
      await().until(() -> app.roundTrip(warmUp) != null);

      // 1.4 MB (2.4 MB) in one go, far more than Netty's default write buffer of a socket (64 KiB).
      List<byte[]> burst = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        byte[] datagram = new byte[equalSizes ? 1200 : 1 + i * 997 % 1400];
        datagram[0] = (byte) i;
        datagram[datagram.length - 1] = (byte) (i * 7);
        burst.add(datagram);
      }
      for (byte[] datagram : burst) {
        app.send(datagram);
      }
      List<byte[]> replies = new ArrayList<>();
      byte[] reply;
      // A loaded machine may pause the tunnel for seconds mid-burst: wait that long for each.
      while (replies.size() < burst.size() && (reply = app.receive(10_000)) != null) {
        if (!Arrays.equals(reply, warmUp)) {
          replies.add(reply);
        }
      }
      assertThat(replies).containsExactlyElementsOf(burst);
    }
  }
}
