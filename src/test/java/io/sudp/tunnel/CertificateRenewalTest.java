package io.sudp.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.runtime.Role;
import io.sudp.runtime.TunnelRuntime;
import io.sudp.testing.CapturedLog;
import io.sudp.testing.FreePorts;
import io.sudp.testing.PacedStream;
import io.sudp.testing.RawUpgrade;
import io.sudp.testing.Runtimes;
import io.sudp.testing.TestTls;
import io.sudp.testing.UdpEchoServer;
import io.sudp.transport.PeerConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TLS server whose certificate files are renewed, broken and swapped as certbot swaps them while
 * a client streams through it: each new connection gets the pair in service, the streaming
 * connection is never touched.
 */
class CertificateRenewalTest {
  private static final Duration PICKED_UP = Duration.ofSeconds(30); // within 2 s, unloaded

  @TempDir Path dir;

  /** Writes {@code source} beside {@code target} and renames it into place, as ACME clients do. */
  private static void renameInto(Path source, Path target) throws Exception {
    Path written = Files.copy(source, target.resolveSibling(target.getFileName() + ".new"));
    Files.move(
        written, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Makes {@code link} a link to {@code target} as certbot does: unlink, then link again. */
  private static void relink(Path link, Path target) throws Exception {
    Files.delete(link);
    Files.createSymbolicLink(link, target);
  }

  /** The value of the one series of the runtime's {@code /metrics} that begins {@code series}. */
  private static double metric(TunnelRuntime runtime, String series) throws Exception {
    String metrics = Runtimes.metrics(runtime);
    return metrics
        .lines()
        .filter(line -> line.startsWith(series))
        .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .reduce((one, another) -> Double.NaN) // more than one: the test named no single series
        .orElseThrow(() -> new AssertionError(series + " not in " + metrics));
  }

  @Test
  void renewedFilesServeNewConnectionsWhileTheStreamingOneGoesOn() throws Exception {
    TestTls tls = TestTls.create(dir.resolve("tls"));
    tls.issueServer("renewed", 40);
    tls.issueServer("certbot", 50);
    tls.issueServer("reloaded", 60);
    Path live = Files.createDirectories(dir.resolve("live"));
    Path chain = Files.copy(tls.serverCertificate(), live.resolve("fullchain.pem"));
    Path key = Files.copy(tls.serverKey(), live.resolve("privkey.pem"));
    Path archive = Files.createDirectories(dir.resolve("archive"));
    int ws = FreePorts.tcp();
    int tunnelPort = FreePorts.udp();
    String serverYaml =
        """
        server:
          listen: 127.0.0.1:%d
          tls: {certificate: %s, key: %s}
          allow: ["%s"]
        management: {listen: "127.0.0.1:0"}
        """;
    try (CapturedLog log = CapturedLog.named("io.sudp.runtime"); // the watch's and the reload's
        UdpEchoServer echo = new UdpEchoServer();
        TunnelRuntime server =
            Runtimes.start(
                Role.SERVER,
                dir,
                "server.yaml",
                serverYaml.formatted(ws, chain, key, echo.address()));
        TunnelRuntime client =
            Runtimes.client(
                dir,
                """
                server: wss://localhost:%d/sudp
                tls: {ca: %s}
                tunnels:
                  - {name: echo, listen: "127.0.0.1:%d", destination: "%s"}
                """
                    .formatted(ws, tls.caCertificate(), tunnelPort, echo.address()));
        PacedStream stream = new PacedStream(tunnelPort, Duration.ofMillis(5))) {
      stream.awaitFlowing(50);
      long streaming = server.server().socket().connections().get(0).id();
      assertThat(tls.servedSerial(ws)).isEqualTo(TestTls.serial(tls.serverCertificate()));

      // An ACME client renews: the key, then the certificate, each renamed into place.
      renameInto(tls.key("renewed"), key);
      renameInto(tls.certificate("renewed"), chain);
      await()
          .atMost(PICKED_UP)
          .until(() -> tls.servedSerial(ws).equals(TestTls.serial(tls.certificate("renewed"))));
      stream.awaitFlowing(50);

      // A key that is not the certificate's is refused; new connections keep the last good pair.
      // (A machine stalled between the renewal's two renames may have refused the half of it.)
      double refused = metric(server, "sudp_tls_certificate_reloads_total{result=\"refused\"");
      renameInto(tls.clientKey(), key);
      await()
          .atMost(PICKED_UP)
          .until(() -> log.contains("server.tls.key " + key + ": is not the key of the"));
      assertThat(metric(server, "sudp_tls_certificate_reloads_total{result=\"refused\""))
          .isEqualTo(refused + 1);
      assertThat(metric(server, "sudp_tls_certificate_reloads_total{result=\"applied\""))
          .isEqualTo(1);
      assertThat(tls.servedSerial(ws)).isEqualTo(TestTls.serial(tls.certificate("renewed")));
      assertThat(
              RawUpgrade.status(
                  RawUpgrade.trusting(tls.caCertificate()),
                  "wss://localhost:" + ws + "/sudp",
                  null))
          .as("a new WebSocket client that checks the certificate against the CA")
          .isEqualTo(101);

      // certbot renews: new files in its archive, then the live names linked to them one by one.
      Files.copy(tls.certificate("certbot"), archive.resolve("fullchain2.pem"));
      Files.copy(tls.key("certbot"), archive.resolve("privkey2.pem"));
      relink(chain, Path.of("../archive/fullchain2.pem"));
      relink(key, Path.of("../archive/privkey2.pem"));
      await()
          .atMost(PICKED_UP)
          .until(() -> tls.servedSerial(ws).equals(TestTls.serial(tls.certificate("certbot"))));

      // sudp reload takes renewed files at once, and a renewal needs no restart.
      Files.copy(tls.certificate("reloaded"), archive.resolve("fullchain3.pem"));
      Files.copy(tls.key("reloaded"), archive.resolve("privkey3.pem"));
      relink(chain, Path.of("../archive/fullchain3.pem"));
      relink(key, Path.of("../archive/privkey3.pem"));
      server.reload(dir.resolve("server.yaml"));
      assertThat(tls.servedSerial(ws)).isEqualTo(TestTls.serial(tls.certificate("reloaded")));
      assertThat(log.first("reloaded " + dir.resolve("server.yaml")))
          .hasValueSatisfying(line -> assertThat(line).doesNotContain("restart"));
      assertThat(metric(server, "sudp_tls_certificate_expiry_timestamp_seconds{"))
          .isEqualTo(
              TestTls.x509(tls.certificate("reloaded")).getNotAfter().toInstant().getEpochSecond());

      stream.awaitFlowing(50);
      stream.stopAndAssertNothingLost();
      assertThat(client.client().socket().reconnects()).isZero();
      assertThat(server.server().socket().connections())
          .extracting(PeerConnection::id)
          .containsExactly(streaming);
    }
  }
}
