package io.sudp.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.runtime.TunnelRuntime;
import io.sudp.testing.FreePorts;
import io.sudp.testing.Runtimes;
import io.sudp.testing.UdpApp;
import io.sudp.testing.UdpEchoServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two clients with fifty local senders each, all at once, through one server. */
class ManyClientsTest {
  private static final int CLIENTS = 2;
  private static final int FLOWS = 50;
  private static final int ROUNDS = 20;

  @TempDir Path dir;

  @Test
  void everyReplyReachesTheSenderOfItsRequestAndNoOther() throws Exception {
    int ws = FreePorts.tcp();
    List<TunnelRuntime> runtimes = new ArrayList<>();
    List<UdpApp> apps = new ArrayList<>();
    try (UdpEchoServer echo = new UdpEchoServer()) {
      TunnelRuntime server = Runtimes.server(dir, ws, echo.address());
      runtimes.add(server);
      List<Integer> tunnelPorts = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        int port = FreePorts.udp();
        tunnelPorts.add(port);
        runtimes.add(Runtimes.client(dir, ws, port, echo.address()));
      }
      for (int c = 0; c < CLIENTS; c++) {
        for (int f = 0; f < FLOWS; f++) {
          apps.add(new UdpApp(tunnelPorts.get(c)));
        }
      }
      await().until(() -> server.server().socket().connectionCount() == CLIENTS);

      for (int round = 0; round < ROUNDS; round++) {
        for (int i = 0; i < apps.size(); i++) {
          apps.get(i).send(payload(i, round));
        }
        for (int i = 0; i < apps.size(); i++) {
          // Sent once each, so no reply is a late copy; the first round opens 100 flows at once,
          // which a loaded machine takes its time over.
          byte[] reply = apps.get(i).receive(20_000);
          assertThat(reply)
              .as("reply to app %d in round %d", i, round)
              .isEqualTo(payload(i, round));
        }
      }
      assertThat(server.server().nat().flowCount()).isEqualTo(CLIENTS * FLOWS);
    } finally {
      apps.forEach(UdpApp::close);
      for (TunnelRuntime runtime : runtimes) {
        runtime.close();
      }
    }
  }

  private static byte[] payload(int app, int round) {
    return ("app " + app + " round " + round).getBytes(StandardCharsets.US_ASCII);
  }
}
