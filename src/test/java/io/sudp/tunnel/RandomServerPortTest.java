package io.sudp.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.sudp.runtime.Role;
import io.sudp.runtime.TunnelRuntime;
import io.sudp.testing.FreePorts;
import io.sudp.testing.Runtimes;
import io.sudp.testing.UdpApp;
import io.sudp.testing.UdpEchoServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server told to listen on port 0 takes one free port for all its listeners (one per event loop).
 * Each listener had bound a port of its own, or failed on the first one's.
 */
class RandomServerPortTest {
  @TempDir Path dir;

  @Test
  void aServerOnPortZeroListensOnOnePortWithEveryListener() throws Exception {
    try (UdpEchoServer echo = new UdpEchoServer();
        TunnelRuntime server =
            Runtimes.start(
                Role.SERVER,
                dir,
                "server.yaml",
                """
            server:
              listen: 127.0.0.1:0
              allow: ["%s"]
            """
                    .formatted(echo.address()))) {
      int port = server.server().socket().boundPort();
      assertThat(port).isPositive();
      int tunnelPort = FreePorts.udp();
      try (TunnelRuntime client = Runtimes.client(dir, port, tunnelPort, echo.address());
          UdpApp app = new UdpApp(tunnelPort)) {
        assertThat(app.roundTrip(new byte[] {7})).containsExactly(7);
      }
    }
  }
}
