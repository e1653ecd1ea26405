package io.sudp.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.runtime.Role;
import io.sudp.runtime.TunnelRuntime;
import io.sudp.testing.Configs;
import io.sudp.testing.FreePorts;
import io.sudp.testing.Runtimes;
import io.sudp.testing.UdpApp;
import io.sudp.testing.UdpEchoServer;
import io.vertx.core.json.JsonArray;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.Route;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One client whose tunnels go through two servers, one of them with its own credentials: a
 * connection per server, each tunnel over its own, and one server's loss leaves the other's tunnels
 * carrying traffic.
 */
class SeveralServersTest {
  private static final String TOKEN = "s3cret-token-for-the-second-server";

  @TempDir Path dir;

  @Test
  void tunnelsGoThroughTheServerAndCredentialsTheyName() throws Exception {
    int first = FreePorts.tcp();
    int second = FreePorts.tcp();
    int viaFirst = FreePorts.udp();
    int viaSecond = FreePorts.udp();
    Path tokens = Files.writeString(dir.resolve("tokens"), "robot " + TOKEN + "\n");
    Path token = Files.writeString(dir.resolve("token"), TOKEN + "\n");
    try (UdpEchoServer echoA = new UdpEchoServer();
        UdpEchoServer echoB = new UdpEchoServer();
        TunnelRuntime serverA = Runtimes.server(dir, first, echoA.address())) {
      TunnelRuntime serverB =
          Runtimes.start(
              Role.SERVER,
              dir,
              "second.yaml",
              """
          server:
            listen: 127.0.0.1:%d
            allow: ["%s"]
            auth:
              tokens-file: %s
          """
                  .formatted(second, echoB.address(), tokens));
      try (TunnelRuntime client =
              Runtimes.start(
                  Role.CLIENT,
                  dir,
                  "client.yaml",
                  """
              client:
                server: ws://127.0.0.1:%d/sudp
                credentials:
                  robot: {token-file: %s}
                tunnels:
                  - {name: a, listen: "127.0.0.1:%d", destination: "%s"}
                  - {name: b, listen: "127.0.0.1:%d", destination: "%s",
                     server: "ws://127.0.0.1:%d/sudp", credentials: robot}
              """
                      .formatted(
                          first,
                          token,
                          viaFirst,
                          echoA.address(),
                          viaSecond,
                          echoB.address(),
                          second));
          UdpApp appA = new UdpApp(viaFirst);
          UdpApp appB = new UdpApp(viaSecond)) {
        await().until(() -> client.ready());
        // Each sent once: the echoes' counts below are exact.
        assertThat(appA.sendOnceAndAwaitEcho(new byte[] {1})).containsExactly(1);
        assertThat(appB.sendOnceAndAwaitEcho(new byte[] {2})).containsExactly(2);
        assertThat(echoA.received()).isEqualTo(1);
        assertThat(echoB.received()).isEqualTo(1);
        JsonArray connections =
            client.statusJson().getJsonObject("client").getJsonArray("connections");
        assertThat(connections).hasSize(2);
        assertThat(connections.getJsonObject(1).getString("server"))
            .isEqualTo("ws://127.0.0.1:" + second + "/sudp");
        assertThat(client.camelContext().getRoutes())
            .extracting(Route::getRouteId)
            .contains("sudp-client-downstream", "sudp-client-downstream-1");

        serverB.close();
        await().until(() -> !client.ready());
        assertThat(appA.roundTrip(new byte[] {3}))
            .as("the other server's tunnel")
            .containsExactly(3);
        assertThat(client.status()).contains("disconnected (2 servers)");
      } finally {
        serverB.close();
      }
    }
  }

  @Test
  void aTunnelThatNamesAConnectionGetsOneOfItsOwnToTheSameServer() throws Exception {
    int ws = FreePorts.tcp();
    int shared = FreePorts.udp();
    int bulk = FreePorts.udp();
    int alsoBulk = FreePorts.udp();
    try (UdpEchoServer echo = new UdpEchoServer();
        TunnelRuntime server = Runtimes.server(dir, ws, echo.address());
        TunnelRuntime client =
            Runtimes.client(
                dir,
                """
            server: ws://127.0.0.1:%d/sudp
            tunnels:
              - {name: dns, listen: "127.0.0.1:%d", destination: "%s"}
              - {name: wg, listen: "127.0.0.1:%d", destination: "%s", connection: bulk}
              - {name: video, listen: "127.0.0.1:%d", destination: "%s", connection: bulk}
            """
                    .formatted(
                        ws,
                        shared,
                        echo.address(),
                        bulk,
                        echo.address(),
                        alsoBulk,
                        echo.address()));
        UdpApp dns = new UdpApp(shared);
        UdpApp wg = new UdpApp(bulk);
        UdpApp video = new UdpApp(alsoBulk)) {
      await().until(() -> client.ready());
      assertThat(dns.roundTrip(new byte[] {1})).containsExactly(1);
      assertThat(wg.roundTrip(new byte[] {2, 2})).containsExactly(2, 2);
      assertThat(video.roundTrip(new byte[] {3, 3, 3})).containsExactly(3, 3, 3);

      JsonArray connections =
          client.statusJson().getJsonObject("client").getJsonArray("connections");
      assertThat(connections).hasSize(2);
      assertThat(connections.getJsonObject(0).getString("name")).isNull();
      assertThat(connections.getJsonObject(1).getString("name")).isEqualTo("bulk");
      assertThat(connections.getJsonObject(0).getInteger("flows")).isEqualTo(1);
      assertThat(connections.getJsonObject(1).getInteger("flows")).isEqualTo(2);
      assertThat(server.statusJson().getJsonObject("server").getInteger("sessions"))
          .as("each connection is a session of its own")
          .isEqualTo(2);

      // The shared connection cut by the server: the bulk connection's tunnels carry on meanwhile.
      long reconnects = connections.getJsonObject(1).getLong("reconnects");
      client.camelContext().getRouteController().stopRoute("sudp-client-downstream");
      assertThat(wg.roundTrip(new byte[] {4})).containsExactly(4);
      assertThat(
              client
                  .statusJson()
                  .getJsonObject("client")
                  .getJsonArray("connections")
                  .getJsonObject(1)
                  .getLong("reconnects"))
          .isEqualTo(reconnects);
      client.camelContext().getRouteController().startRoute("sudp-client-downstream");
      await().until(() -> client.ready());
      assertThat(dns.roundTrip(new byte[] {5})).containsExactly(5);
    }
  }

  @Test
  void aConnectionNameIsAPlainName() throws Exception {
    Path file = dir.resolve("bad.yaml");
    assertThat(
            Configs.problems(
                dir,
                "bad.yaml",
                """
        client:
          server: ws://127.0.0.1:8080/sudp
          tunnels:
            - {name: a, listen: "127.0.0.1:5300", destination: "192.0.2.1:53",
               connection: "bulk transfers"}
        """))
        .containsExactly(
            file
                + ":5: client.tunnels[0].connection: 'bulk transfers' must be letters, digits,"
                + " - and _ (at most 64), or empty");
  }

  @Test
  void aTunnelNamesKnownCredentialsAndNeverSendsThemInClearToAnotherHost() throws Exception {
    Path file = dir.resolve("bad.yaml");
    assertThat(
            Configs.problems(
                dir,
                "bad.yaml",
                """
        client:
          server: ws://127.0.0.1:8080/sudp
          credentials:
            robot: {token-env: HOME}
          tunnels:
            - {name: a, listen: "127.0.0.1:5300", destination: "192.0.2.1:53",
               credentials: nobody}
            - {name: b, listen: "127.0.0.1:5301", destination: "192.0.2.1:53",
               server: "ws://tunnel.example.org/sudp", credentials: robot}
            - {name: c, listen: "127.0.0.1:5302", destination: "192.0.2.1:53",
               server: "http://tunnel.example.org/sudp"}
        """))
        .containsExactly(
            file
                + ":7: client.tunnels[0].credentials: 'nobody' is not in"
                + " client.credentials (robot)",
            file
                + ":9: client.tunnels[1].server: credentials would travel in clear text:"
                + " use wss://",
            file
                + ":11: client.tunnels[2].server: 'http://tunnel.example.org/sudp' is not"
                + " a ws:// or wss:// URL");
  }
}
