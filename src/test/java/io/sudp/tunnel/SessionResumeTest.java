package io.sudp.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.runtime.TunnelRuntime;
import io.sudp.testing.AccountedStream;
import io.sudp.testing.FreePorts;
import io.sudp.testing.Runtimes;
import io.sudp.testing.TcpProxy;
import io.sudp.testing.UdpApp;
import io.sudp.testing.UdpEchoServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connections reset under a steady stream (a crashed middlebox, a NAT timeout): the session
 * resumes, the flow keeps its UDP socket on the server, and every datagram is accounted for.
 */
class SessionResumeTest {
  @TempDir Path dir;

  @Test
  void aResetConnectionResumesTheSessionAndTheCountersAddUp() throws Exception {
    int ws = FreePorts.tcp();
    int tunnelPort = FreePorts.udp();
    try (UdpEchoServer echo = new UdpEchoServer();
        TcpProxy proxy = new TcpProxy(ws)) {
      try (TunnelRuntime server = Runtimes.server(dir, ws, echo.address());
          TunnelRuntime client = Runtimes.client(dir, proxy.port(), tunnelPort, echo.address());
          UdpApp app = new UdpApp(tunnelPort)) {
        await().until(() -> client.client().socket().isConnected());

        AccountedStream stream = new AccountedStream(app, echo);
        stream.run(
            300,
            round -> {
              if (round == 100 || round == 200) {
                proxy.cut();
              }
            });

        stream.assertEverythingAccountedFor(server.server().counters(), client.client().counters());
        assertThat(server.server().sessions().size()).isEqualTo(1);
        assertThat(echo.senderPorts())
            .as("one UDP socket on the server for the flow, all along")
            .hasSize(1);
      }
    }
  }
}
