package io.sudp.tunnel;

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

/**
 * The jar's server with direct TLS refuses a renegotiation a TLS 1.2 client asks for: each would
 * be a full handshake, as many as the client likes, on one connection.
 */
class TlsRenegotiationIT {
  @TempDir Path dir;

  @Test
  void aClientCannotAskForANewHandshake() throws Exception {
    TestTls tls = TestTls.create(dir.resolve("tls"));
    int ws = FreePorts.tcp();
    Path config = Configs.write(dir, "server.yaml", """
        server:
          listen: 127.0.0.1:%d
          tls:
            certificate: %s
            key: %s
        """.formatted(ws, tls.serverCertificate(), tls.serverKey()));
    try (RealProcess server = RealProcess.sudp(dir, "server", "server", "-c", config.toString())) {
      await().atMost(Duration.ofSeconds(60)).until(() -> listening(ws));
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
