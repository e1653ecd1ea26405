package io.sudp.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sudp.testing.Configs;
import io.sudp.testing.TestTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What would make every TLS handshake fail is said before the server starts. */
class ServerCertificateTest {
  @TempDir Path dir;

  private String server(Path certificate, Path key) {
    return """
        server:
          listen: 127.0.0.1:8443
          tls:
            certificate: %s
            key: %s
        """
        .formatted(certificate, key);
  }

  @Test
  void aKeyThatIsNotTheCertificatesIsAProblem() throws Exception {
    TestTls tls = TestTls.create(dir.resolve("tls"));
    ConfigException problems =
        catchThrowableOfType(
            () ->
                Configs.load(
                    dir, "mismatch.yaml", server(tls.serverCertificate(), tls.clientKey())),
            ConfigException.class);
    assertThat(problems.problems())
        .singleElement()
        .asString()
        .contains("mismatch.yaml:5: server.tls.key: is not the key of the certificate");
  }

  @Test
  void filesThatAreNoCertificateAreAProblem() throws Exception {
    TestTls tls = TestTls.create(dir.resolve("tls"));
    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate\n");
    ConfigException problems =
        catchThrowableOfType(
            () -> Configs.load(dir, "garbage.yaml", server(garbage, tls.serverKey())),
            ConfigException.class);
    assertThat(problems.problems())
        .singleElement()
        .asString()
        .contains("garbage.yaml:4: server.tls.certificate: cannot be used for TLS");
  }

  @Test
  void aKeyFileThatIsNoKeyIsTheKeysProblem() throws Exception {
    TestTls tls = TestTls.create(dir.resolve("tls"));
    Path garbage = Files.writeString(dir.resolve("garbage.key"), "not a key\n");
    ConfigException problems =
        catchThrowableOfType(
            () -> Configs.load(dir, "garbage.yaml", server(tls.serverCertificate(), garbage)),
            ConfigException.class);
    assertThat(problems.problems())
        .singleElement()
        .asString()
        .contains("garbage.yaml:5: server.tls.key: cannot be used for TLS");
  }

  @Test
  void aCertificateThatExpiredOrSoonWillIsSaid() throws Exception {
    TestTls tls = TestTls.create(dir.resolve("tls"));
    Path expired = tls.keystore("old", true);
    Files.writeString(dir.resolve("pw"), "changeit\n");
    ServerTls old =
        Configs.load(
                dir,
                "old.yaml",
                """
        server:
          listen: 127.0.0.1:8443
          tls:
            keystore: %s
            keystore-password-file: %s
        """
                    .formatted(expired, dir.resolve("pw")))
            .server()
            .tls();
    assertThat(old.expiryWarning(Instant.now())).contains("expired on");

    ServerTls fresh =
        Configs.load(dir, "fresh.yaml", server(tls.serverCertificate(), tls.serverKey()))
            .server()
            .tls();
    assertThat(fresh.expiryWarning(Instant.now())).isNull();
    assertThat(fresh.expiryWarning(fresh.expires().minus(ServerTls.EXPIRY_WARNING)))
        .contains("expires on")
        .contains("in 14 days");
  }
}
