package io.sudp.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.testing.TestTls;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.X509KeyManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's certificate replaced under a real Vert.x TLS server: handshakes that begin meanwhile
 * all succeed (Vert.x's own {@code updateSSLOptions} closes those accepted while it rebuilds), and
 * each new handshake gets the pair in service.
 */
class ReplaceableKeyManagerTest {
  /** The certificates, made once: openssl is the slow part. */
  @TempDir static Path dir;

  private static TestTls tls;
  private final Vertx vertx = Vertx.vertx();
  private X509KeyManager first;
  private X509KeyManager renewed;

  @BeforeAll
  static void certificates() throws Exception {
    tls = TestTls.create(dir);
    tls.issueServer("renewed", 40);
  }

  @BeforeEach
  void keys() throws Exception {
    first = keys(tls.serverCertificate(), tls.serverKey());
    renewed = keys(tls.certificate("renewed"), tls.key("renewed"));
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private X509KeyManager keys(Path certificate, Path key) throws Exception {
    return (X509KeyManager)
        new PemKeyCertOptions()
            .setCertPath(certificate.toString())
            .setKeyPath(key.toString())
            .getKeyManagerFactory(vertx)
            .getKeyManagers()[0];
  }

  @Test
  void handshakesGoOnAcrossReplacementsAndEachGetsThePairInService() throws Exception {
    ReplaceableKeyManager keys = new ReplaceableKeyManager(first);
    HttpServer server =
        vertx
            .createHttpServer(
                new HttpServerOptions()
                    .setSsl(true)
                    .setKeyCertOptions(keys.options())
                    .setHost("127.0.0.1")
                    .setPort(0))
            .requestHandler(request -> request.response().end());
    server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    int port = server.actualPort();
    assertThat(tls.servedSerial(port)).isEqualTo(TestTls.serial(tls.serverCertificate()));

    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger handshakes = new AtomicInteger();
    ConcurrentLinkedQueue<Exception> failures = new ConcurrentLinkedQueue<>();
    Thread client =
        new Thread(
            () -> {
              while (running.get()) {
                try {
                  tls.servedSerial(port);
                  handshakes.incrementAndGet();
                } catch (Exception e) {
                  failures.add(e);
                }
              }
            },
            "handshakes");
    client.start();
    try {
      for (int i = 0; i < 10; i++) {
        keys.replace(i % 2 == 0 ? renewed : first);
        int before = handshakes.get();
        await().atMost(Duration.ofSeconds(30)).until(() -> handshakes.get() > before);
      }
    } finally {
      running.set(false);
      client.join(30_000);
    }
    assertThat(failures).as("handshakes that failed while the pair was replaced").isEmpty();

    keys.replace(renewed);
    assertThat(tls.servedSerial(port)).isEqualTo(TestTls.serial(tls.certificate("renewed")));
  }

  @Test
  void aHandshakeUnderWayWhenThePairIsReplacedKeepsTheCertificateAndKeyItChose() {
    ReplaceableKeyManager keys = new ReplaceableKeyManager(first);
    String chosen = keys.chooseEngineServerAlias("EC", null, null);
    keys.replace(renewed);
    assertThat(keys.getCertificateChain(chosen)[0].getSerialNumber())
        .isEqualTo(
            first.getCertificateChain(first.chooseServerAlias("EC", null, null))[0]
                .getSerialNumber());
    assertThat(keys.getPrivateKey(chosen))
        .isEqualTo(first.getPrivateKey(first.chooseServerAlias("EC", null, null)));

    keys.replace(first);
    assertThat(keys.getCertificateChain(chosen))
        .as("two replacements later, a handshake that old is given up")
        .isNull();
    assertThat(keys.getPrivateKey(null)).isNull();
    assertThat(keys.chooseClientAlias(new String[] {"EC"}, null, null)).isNull();
  }
}
