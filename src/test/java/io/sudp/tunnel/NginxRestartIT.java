package io.sudp.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.runtime.TunnelRuntime;
import io.sudp.testing.AccountedStream;
import io.sudp.testing.FreePorts;
import io.sudp.testing.Nginx;
import io.sudp.testing.Runtimes;
import io.sudp.testing.UdpApp;
import io.sudp.testing.UdpEchoServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real nginx in front of the server, restarted twice under a steady stream. */
class NginxRestartIT {
  @TempDir Path dir;

  @Test
  void restartingNginxInFrontLosesNoFlowAndTheCountersAddUp() throws Exception {
    int ws = FreePorts.tcp();
    int tunnelPort = FreePorts.udp();
    try (UdpEchoServer echo = new UdpEchoServer();
        Nginx nginx = Nginx.proxy(dir.resolve("nginx"), "/sudp", ws)) {
      try (TunnelRuntime server = Runtimes.server(dir, ws, echo.address());
          TunnelRuntime client = Runtimes.client(dir, nginx.port(), tunnelPort, echo.address());
          UdpApp app = new UdpApp(tunnelPort)) {
        await().until(() -> client.client().socket().isConnected());

        AccountedStream stream = new AccountedStream(app, echo);
        stream.run(
            300,
            round -> {
              if (round == 100 || round == 200) {
                nginx.restart();
              }
            });

        stream.assertEverythingAccountedFor(server.server().counters(), client.client().counters());
        assertThat(server.server().sessions().size()).isEqualTo(1);
        assertThat(echo.senderPorts()).hasSize(1);
        assertThat(client.client().socket().isConnected()).isTrue();
      }
    }
  }
}
