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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's flows are all taken: a client that comes later still gets flows from a session that
 * holds more than its share and carries nothing, and the hog gets no more; but a session that
 * carries traffic keeps its flows.
 */
class FlowFairnessTest {
  private static final int MAX_FLOWS = 10;

  @TempDir Path dir;

  private TunnelRuntime serverWithMaxFlows(int ws, int maxFlows, UdpEchoServer echo)
      throws Exception {
    return Runtimes.start(
        Role.SERVER,
        dir,
        "server.yaml",
        """
        server:
          listen: 127.0.0.1:%d
          max-flows: %d
          allow: ["%s"]
        """
            .formatted(ws, maxFlows, echo.address()));
  }

  @Test
  void whoHoldsMoreThanItsShareGivesWayToANewcomer() throws Exception {
    int ws = FreePorts.tcp();
    int tunnel = FreePorts.udp();
    try (UdpEchoServer echo = new UdpEchoServer();
        TunnelRuntime server = serverWithMaxFlows(ws, MAX_FLOWS, echo);
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
          UdpApp first = new UdpApp(tunnel);
          UdpApp second = new UdpApp(tunnel)) {
        // Once the hog has carried nothing for a while, it gives its idlest flows way.
        await().atMost(Duration.ofSeconds(60)).until(() -> first.roundTrip(new byte[] {1}) != null);
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> second.roundTrip(new byte[] {2}) != null);
        assertThat(server.server().nat().flowCount()).isEqualTo(MAX_FLOWS);

        // Over its share now, the hog gets no new flow; what it still sends on the flows it
        // gave back is counted, once each.
        TrafficCounters counters = server.server().counters();
        long refusedBefore = counters.drops(DropCause.FLOW_LIMIT); // before: it may be quick
        hog.binary(
            message(
                new OpenFrame(MAX_FLOWS + 1, destination, 0),
                new DataFrame(MAX_FLOWS + 1, 0, new byte[] {0})));
        await().until(() -> counters.drops(DropCause.FLOW_LIMIT) == refusedBefore + 1);
        assertThat(first.roundTrip(new byte[] {3})).containsExactly(3);
      }
    }
  }

  @Test
  void aSessionThatCarriesTrafficKeepsItsFlows() throws Exception {
    int ws = FreePorts.tcp();
    int tunnel = FreePorts.udp();
    try (UdpEchoServer echo = new UdpEchoServer();
        TunnelRuntime server = serverWithMaxFlows(ws, 4, echo);
        TunnelRuntime client = Runtimes.client(dir, ws, tunnel, echo.address())) {
      List<UdpApp> apps = new ArrayList<>();
      try {
        for (int i = 0; i < 4; i++) {
          UdpApp app = new UdpApp(tunnel);
          apps.add(app);
          assertThat(app.roundTrip(new byte[] {(byte) i})).containsExactly(i);
        }
        // Another session, under its share, asks for flows: the working one holds them.
        try (RawWebSocket newcomer = RawWebSocket.connect(ws, "/sudp", 0)) {
          Destination destination = Destination.parse(echo.address());
          for (int flow = 1; flow <= 3; flow++) {
            newcomer.binary(
                message(
                    new OpenFrame(flow, destination, 0), new DataFrame(flow, 0, new byte[] {9})));
            for (int i = 0; i < apps.size(); i++) {
              assertThat(apps.get(i).roundTrip(new byte[] {(byte) i})).containsExactly(i);
            }
          }
          TrafficCounters counters = server.server().counters();
          await().until(() -> counters.drops(DropCause.FLOW_LIMIT) == 3);
        }
      } finally {
        apps.forEach(UdpApp::close);
      }
    }
  }
}
