package io.sudp.tunnel;

import static io.sudp.testing.UnderAttack.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.ops.DropCause;
import io.sudp.ops.TrafficCounters;
import io.sudp.protocol.DataFrame;
import io.sudp.protocol.Destination;
import io.sudp.protocol.Frame;
import io.sudp.protocol.OpenFrame;
import io.sudp.runtime.Role;
import io.sudp.runtime.TunnelRuntime;
import io.sudp.testing.FreePorts;
import io.sudp.testing.RawWebSocket;
import io.sudp.testing.Runtimes;
import io.sudp.testing.UdpApp;
import io.sudp.testing.UdpEchoServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's flows are all taken by one connection: a client that comes later still gets its
 * flows, each taken from whoever holds more than its share, and the hog gets no more.
 */
class FlowFairnessTest {
  private static final int MAX_FLOWS = 10;

  @TempDir Path dir;

  @Test
  void whoHoldsMoreThanItsShareGivesWayToANewcomer() throws Exception {
    int ws = FreePorts.tcp();
    int tunnel = FreePorts.udp();
    try (UdpEchoServer echo = new UdpEchoServer();
        TunnelRuntime server = Runtimes.start(Role.SERVER, dir, "server.yaml", """
            server:
              listen: 127.0.0.1:%d
              max-flows: %d
              allow: ["%s"]
            """.formatted(ws, MAX_FLOWS, echo.address()));
        RawWebSocket hog = RawWebSocket.connect(ws, "/sudp", 0)) {
      Destination destination = Destination.parse(echo.address());
      List<Frame> frames = new ArrayList<>();
      for (int flow = 1; flow <= MAX_FLOWS; flow++) {
        frames.add(new OpenFrame(flow, destination, 0));
        frames.add(new DataFrame(flow, 0, new byte[] {0}));
      }
      hog.binary(message(frames.toArray(Frame[]::new)));
      await().until(() -> echo.received() == MAX_FLOWS);
      assertThat(server.server().nat().flowCount()).isEqualTo(MAX_FLOWS);

      try (TunnelRuntime client = Runtimes.client(dir, ws, tunnel, echo.address());
          UdpApp first = new UdpApp(tunnel); UdpApp second = new UdpApp(tunnel)) {
        assertThat(first.roundTrip(new byte[] {1})).containsExactly(1);
        assertThat(second.roundTrip(new byte[] {2})).containsExactly(2);
        assertThat(server.server().nat().flowCount()).isEqualTo(MAX_FLOWS);

        // Over its share now, the hog gets no new flow; what it still sends on the flows it
        // gave back is counted, once each.
        TrafficCounters counters = server.server().counters();
        hog.binary(message(new OpenFrame(MAX_FLOWS + 1, destination, 0),
            new DataFrame(MAX_FLOWS + 1, 0, new byte[] {0})));
        await().until(() -> counters.drops(DropCause.FLOW_LIMIT) == 1);
        assertThat(first.roundTrip(new byte[] {3})).containsExactly(3);
      }
    }
  }
}
