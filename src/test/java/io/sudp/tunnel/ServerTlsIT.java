package io.sudp.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sudp.testing.Configs;
import io.sudp.testing.FreePorts;
import io.sudp.testing.RealProcess;
import io.sudp.testing.TestTls;
import io.sudp.testing.TrustCa;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jar's server with direct TLS, tried as clients that do not play by its rules. */
class ServerTlsIT {
  @TempDir Path dir;

  private TestTls tls;
  private int ws;

  private RealProcess start() throws Exception {
    tls = TestTls.create(dir.resolve("tls"));
    ws = FreePorts.tcp();
    Path config = Configs.write(dir, "server.yaml", """
        server:
          listen: 127.0.0.1:%d
          tls:
            certificate: %s
            key: %s
        """.formatted(ws, tls.serverCertificate(), tls.serverKey()));
    RealProcess server = RealProcess.sudp(dir, "server", "server", "-c", config.toString());
    await().atMost(Duration.ofSeconds(60)).until(() -> listening(ws));
    return server;
  }

  @Test
  void aPlainTextRequestLeavesNoSecretInTheLog() throws Exception {
    String token = "plain-text-token-0123456789";
    String session = "00112233445566778899aabbccddeeff";
    try (RealProcess server = start()) {
      try (Socket plain = new Socket("127.0.0.1", ws)) {
        plain.getOutputStream().write(("GET /sudp HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
            + token + "\r\nSudp-Session: " + session + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        plain.setSoTimeout(10_000);
        plain.getInputStream().readAllBytes(); // closed by the server
      }
      await().atMost(Duration.ofSeconds(10))
          .until(() -> server.output().contains("TLS handshake failed"));
      assertThat(server.output()).doesNotContain(token)
          .doesNotContain(session);
    }
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
        assertThatThrownBy(() -> {
          socket.startHandshake(); // a renegotiation
          socket.getOutputStream().write("GET /sudp HTTP/1.1\r\nHost: x\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
          socket.getOutputStream().flush();
          if (socket.getInputStream().read() < 0) {
            throw new IOException("closed");
          }
        }).isInstanceOf(IOException.class);
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
