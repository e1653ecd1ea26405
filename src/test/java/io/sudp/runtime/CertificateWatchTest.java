package io.sudp.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sudp.config.CertificateFiles;
import io.sudp.config.ServerCertificate;
import io.sudp.config.ServerTls;
import io.sudp.ops.TunnelMetrics;
import io.sudp.testing.CapturedLog;
import io.sudp.testing.RealProcess;
import io.sudp.testing.TestTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.X509ExtendedKeyManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's certificate files renewed, half written, broken and swapped as certbot swaps them,
 * with each look at them taken by the test: what is served after each look, what is counted, what
 * is logged.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS) // a look that blocks on a file fails, not hangs
class CertificateWatchTest {
  private static final String REFUSED = "not used, the certificate in service stays";

  /** The certificates, made once: openssl is the slow part. */
  @TempDir static Path made;

  private static TestTls tls;

  @TempDir Path dir;

  private Path live;
  private Path certificate;
  private Path key;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private CapturedLog log;

  @BeforeAll
  static void certificates() throws Exception {
    tls = TestTls.create(made);
    tls.issueServer("renewed", 40);
    tls.issueServer("expired", -1);
  }

  @BeforeEach
  void files() throws Exception {
    live = Files.createDirectories(dir.resolve("live"));
    certificate = Files.copy(tls.serverCertificate(), live.resolve("fullchain.pem"));
    key = Files.copy(tls.serverKey(), live.resolve("privkey.pem"));
    log = CapturedLog.of(CertificateWatch.class);
  }

  @AfterEach
  void stopCapturing() {
    log.close();
  }

  private CertificateWatch watch(ServerTls files) throws Exception {
    CertificateWatch watch = new CertificateWatch(files);
    watch.publish(new TunnelMetrics(registry, "server"));
    return watch;
  }

  private CertificateWatch watch() throws Exception {
    return watch(new ServerTls(certificate, key, null, null, null, null));
  }

  private static void replace(Path file, Path with) throws Exception {
    Files.copy(with, file, StandardCopyOption.REPLACE_EXISTING);
  }

  /** The serial of the certificate a handshake beginning now is given, as log lines write it. */
  private static String served(CertificateWatch watch) throws Exception {
    X509ExtendedKeyManager keys =
        (X509ExtendedKeyManager)
            watch.keyCertOptions().getKeyManagerFactory(null).getKeyManagers()[0];
    X509Certificate certificate =
        keys.getCertificateChain(keys.chooseEngineServerAlias("EC", null, null))[0];
    return HexFormat.of().withUpperCase().formatHex(certificate.getSerialNumber().toByteArray());
  }

  private String serialOf(Path certificate, Path key) throws Exception {
    return ServerCertificate.of(
            new ServerTls(certificate, key, null, null, null, null),
            CertificateFiles.read(new ServerTls(certificate, key, null, null, null, null)))
        .serial();
  }

  private double reloads(String result) {
    return registry
        .get("sudp.tls.certificate.reloads")
        .tag("result", result)
        .functionCounter()
        .count();
  }

  @Test
  void aPairWrittenFileByFileIsTakenOnceSettledAndNeverRefused() throws Exception {
    CertificateWatch watch = watch();
    String first = served(watch);
    replace(certificate, tls.certificate("renewed"));
    watch.look();
    replace(key, tls.key("renewed"));
    watch.look();
    assertThat(served(watch)).as("still changing: not judged yet").isEqualTo(first);
    watch.look();

    String renewed = served(watch);
    assertThat(renewed).isEqualTo(serialOf(certificate, key)).isNotEqualTo(first);
    assertThat(reloads("applied")).isEqualTo(1);
    assertThat(reloads("refused")).isZero();
    assertThat(log.count(REFUSED)).isZero();
    assertThat(log.first("renewed certificate in service for new connections"))
        .hasValueSatisfying(
            line ->
                assertThat(line)
                    .contains("CN=localhost (localhost, 127.0.0.1), serial " + renewed)
                    .contains("valid until"));
    assertThat(registry.get("sudp.tls.certificate.expiry.timestamp.seconds").gauge().value())
        .isEqualTo(watch.inService().expires().getEpochSecond());
  }

  @Test
  void aKeyThatIsNotTheCertificatesIsRefusedOnceAndThePairInServiceStays() throws Exception {
    CertificateWatch watch = watch();
    String first = served(watch);
    replace(certificate, tls.certificate("renewed")); // and the key stays the old one
    for (int i = 0; i < 5; i++) {
      watch.look();
    }
    assertThat(served(watch)).isEqualTo(first);
    assertThat(reloads("refused")).isEqualTo(1);
    assertThat(log.count(REFUSED)).as("one line for one change of the files").isEqualTo(1);
    assertThat(log.first(REFUSED))
        .hasValueSatisfying(
            line ->
                assertThat(line)
                    .startsWith("server.tls.key " + key + ": is not the key of the certificate")
                    .contains("stays: CN=localhost (localhost, 127.0.0.1), serial " + first));

    replace(key, tls.key("renewed")); // the rest of the renewal
    watch.look();
    watch.look();
    assertThat(served(watch)).isNotEqualTo(first);
    assertThat(reloads("applied")).isEqualTo(1);
  }

  @Test
  void garbageIsRefusedNamingTheFileAndNothingOfItsContent() throws Exception {
    CertificateWatch watch = watch();
    String first = served(watch);
    String secret = "c2VjcmV0IGtleSBtYXRlcmlhbA";
    Files.writeString(
        key, "-----BEGIN PRIVATE KEY-----\n" + secret + "\n-----END PRIVATE KEY-----\n");
    watch.look();
    watch.look();
    Files.writeString(certificate, "-----BEGIN CERTIFICATE-----\n" + secret + "\n");
    watch.look();
    watch.look();

    assertThat(served(watch)).isEqualTo(first);
    assertThat(reloads("refused")).isEqualTo(2);
    assertThat(log.first("server.tls.key " + key + ": cannot be used for TLS")).isPresent();
    assertThat(log.first("server.tls.certificate " + certificate + ": cannot be used for TLS"))
        .isPresent();
    assertThat(log.contains(secret)).isFalse();
  }

  @Test
  void anExpiredCertificateIsRefused() throws Exception {
    CertificateWatch watch = watch();
    replace(certificate, tls.certificate("expired"));
    replace(key, tls.key("expired"));
    watch.look();
    watch.look();

    assertThat(reloads("refused")).isEqualTo(1);
    assertThat(log.first(REFUSED))
        .hasValueSatisfying(
            line ->
                assertThat(line)
                    .startsWith(
                        "server.tls.certificate " + certificate + ": the certificate expired on"));
  }

  @Test
  void linksSwappedOneByOneAsCertbotDoesPutTheNewPairInService() throws Exception {
    Path archive = Files.createDirectories(dir.resolve("archive"));
    Files.copy(tls.serverCertificate(), archive.resolve("fullchain1.pem"));
    Files.copy(tls.serverKey(), archive.resolve("privkey1.pem"));
    Path linked = Files.createDirectories(dir.resolve("linked"));
    Path chain = linked.resolve("fullchain.pem");
    Path privkey = linked.resolve("privkey.pem");
    Files.createSymbolicLink(chain, Path.of("../archive/fullchain1.pem"));
    Files.createSymbolicLink(privkey, Path.of("../archive/privkey1.pem"));
    CertificateWatch watch = watch(new ServerTls(chain, privkey, null, null, null, null));
    String first = served(watch);

    Files.copy(tls.certificate("renewed"), archive.resolve("fullchain2.pem"));
    Files.copy(tls.key("renewed"), archive.resolve("privkey2.pem"));
    Files.delete(chain); // certbot: unlink, then link again
    watch.look();
    Files.createSymbolicLink(chain, Path.of("../archive/fullchain2.pem"));
    watch.look();
    Files.delete(privkey);
    Files.createSymbolicLink(privkey, Path.of("../archive/privkey2.pem"));
    watch.look();
    watch.look();

    assertThat(served(watch)).isNotEqualTo(first).isEqualTo(serialOf(chain, privkey));
    assertThat(reloads("refused")).isZero();
  }

  @Test
  void aReloadTakesTheFilesAtOnceAndOnlyWhenTheyChanged() throws Exception {
    CertificateWatch watch = watch();
    watch.lookNow();
    assertThat(reloads("applied")).isZero();
    replace(certificate, tls.certificate("renewed"));
    replace(key, tls.key("renewed"));
    watch.lookNow();
    assertThat(served(watch)).isEqualTo(serialOf(certificate, key));
    assertThat(reloads("applied")).isEqualTo(1);
  }

  @Test
  void aPipeOrAnOversizedFileIsRefusedWithoutBeingRead() throws Exception {
    CertificateWatch watch = watch();
    String first = served(watch);
    Files.delete(key);
    Process mkfifo =
        new ProcessBuilder(RealProcess.program("mkfifo", "coreutils"), key.toString()).start();
    assertThat(mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0).isTrue();
    watch.look();
    watch.look();
    assertThat(log.first("server.tls.key " + key + ": is not a regular file")).isPresent();

    Files.delete(key);
    Files.write(key, new byte[CertificateFiles.MAX_BYTES + 1]);
    watch.look();
    watch.look();
    assertThat(log.first("server.tls.key " + key + ": is larger than 1 MiB")).isPresent();
    assertThat(served(watch)).isEqualTo(first);
    assertThat(reloads("refused")).isEqualTo(2);
  }
}
