package io.sudp.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sudp.testing.Configs;
import io.sudp.testing.FreePorts;
import io.sudp.testing.RawUpgrade;
import io.sudp.testing.RealProcess;
import io.sudp.testing.TestTls;
import io.sudp.testing.TrustCa;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jar's server with direct TLS, tried as clients that do not play by its rules. */
class ServerTlsIT {
  @TempDir Path dir;

  private TestTls tls;
  private int ws;
  private int management;

  private RealProcess start() throws Exception {
    tls = TestTls.create(dir.resolve("tls"));
    ws = FreePorts.tcp();
    management = FreePorts.tcp();
    Path config =
        Configs.write(
            dir,
            "server.yaml",
            """
        server:
          listen: 127.0.0.1:%d
          max-handshakes: 64
          tls:
            certificate: %s
            key: %s
        management:
          listen: 127.0.0.1:%d
        """
                .formatted(ws, tls.serverCertificate(), tls.serverKey(), management));
    RealProcess server = RealProcess.sudp(dir, "server", "server", "-c", config.toString());
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> listening(ws));
    } catch (RuntimeException | Error notListening) {
      server.close(); // the test never gets it to close
      throw notListening;
    }
    return server;
  }

  @Test
  void aPlainTextRequestLeavesNoSecretInTheLog() throws Exception {
    String token = "plain-text-token-0123456789";
    String session = "00112233445566778899aabbccddeeff";
    try (RealProcess server = start()) {
      try (Socket plain = new Socket("127.0.0.1", ws)) {
        plain
            .getOutputStream()
            .write(
                ("GET /sudp HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                        + token
                        + "\r\nSudp-Session: "
                        + session
                        + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        plain.setSoTimeout(10_000);
        plain.getInputStream().readAllBytes(); // closed by the server
      }
      await()
          .atMost(Duration.ofSeconds(30)) // a log line of another process, under load
          .until(() -> server.output().contains("TLS handshake failed"));
      assertThat(server.output()).doesNotContain(token).doesNotContain(session);
    }
  }

  /**
   * Connections that begin a TLS handshake and never finish it (a record announced, 16 KiB, and all
   * of it sent but its last bytes) count against max-handshakes from the moment they are accepted:
   * thousands of them had filled the server's off-heap memory and frozen it.
   */
  @Test
  void unfinishedTlsHandshakesAreBoundedAndCannotLockAClientOut() throws Exception {
    try (RealProcess server = start()) {
      List<Socket> stalled = new ArrayList<>();
      try {
        byte[] record = new byte[5 + 16_000];
        record[0] = 0x16; // handshake
        record[1] = 3;
        record[2] = 1;
        record[3] = 0x40; // 16,384 bytes announced
        for (int i = 0; i < 600; i++) {
          Socket socket = new Socket();
          stalled.add(socket);
          socket.bind(new InetSocketAddress("127.0.0.2", 0));
          socket.connect(new InetSocketAddress("127.0.0.1", ws), 10_000);
          socket.getOutputStream().write(record);
        }
        await() // the server accepts them at its own pace: wait until it has had to make room
            .atMost(Duration.ofSeconds(60))
            .until(() -> handshakesEvicted() > 0);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> handshakesWaiting() <= 64 && handshakesWaiting() >= 0);

        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, TrustCa.managers(tls.caCertificate()), null);
        HttpClient http = HttpClient.newBuilder().sslContext(context).build();
        assertThat(RawUpgrade.status(http, "wss://localhost:" + ws + "/sudp", null))
            .as("a client that comes during the flood")
            .isEqualTo(101);
      } finally {
        for (Socket socket : stalled) {
          socket.close();
        }
      }
      await() // a log line of another process, under load
          .atMost(Duration.ofSeconds(30))
          .until(() -> server.output().contains("max-handshakes"));
    }
  }

  private int handshakesWaiting() throws Exception {
    return serverStatus().getInteger("handshakes");
  }

  private long handshakesEvicted() throws Exception {
    return serverStatus()
        .getJsonObject("counts")
        .getJsonObject("refusals")
        .getLong("too_many_handshakes", 0L);
  }

  private JsonObject serverStatus() throws Exception {
    String body =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + management + "/status.json"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return new JsonObject(body).getJsonObject("server");
  }

  /**
   * A renegotiation a TLS 1.2 client asks for is refused: each would be a full handshake, as many
   * as the client likes, on one connection.
   */
  @Test
  void aClientCannotAskForANewHandshake() throws Exception {
    try (RealProcess server = start()) {
      SSLContext context = SSLContext.getInstance("TLSv1.2");
      context.init(null, TrustCa.managers(tls.caCertificate()), null);
      try (SSLSocket socket =
          (SSLSocket) context.getSocketFactory().createSocket("localhost", ws)) {
        socket.setEnabledProtocols(new String[] {"TLSv1.2"});
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        assertThatThrownBy(
                () -> {
                  socket.startHandshake(); // a renegotiation
                  socket
                      .getOutputStream()
                      .write(
                          "GET /sudp HTTP/1.1\r\nHost: x\r\n\r\n"
                              .getBytes(StandardCharsets.US_ASCII));
                  socket.getOutputStream().flush();
                  if (socket.getInputStream().read() < 0) {
                    throw new IOException("closed");
                  }
                })
            .isInstanceOf(IOException.class);
      }
    }
  }

  private static boolean listening(int port) {
    try (Socket probe = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
