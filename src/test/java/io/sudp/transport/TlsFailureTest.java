package io.sudp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class TlsFailureTest {
  @Test
  void aPlainTextRequestIsNamedWithoutItsBytes() {
    String secret = "Bearer robot-token-0123456789";
    DecoderException error =
        new DecoderException(
            new NotSslRecordException(
                "not an SSL/TLS record: 474554202f73756470 Authorization: " + secret));

    String line = TlsFailure.describe(error, true);

    assertThat(line).startsWith("not a TLS record").doesNotContain(secret).doesNotContain("4745");
  }

  @Test
  void handshakeFailuresKeepTheirReasonWithinBounds() {
    assertThat(
            TlsFailure.describe(
                new DecoderException(
                    new SSLHandshakeException("Received fatal alert: certificate_unknown")),
                true))
        .isEqualTo("SSLHandshakeException: Received fatal alert: certificate_unknown");
    assertThat(TlsFailure.describe(new SSLHandshakeException("x".repeat(10_000)), true))
        .hasSizeLessThan(300);
  }

  @Test
  void otherFailuresAreNoTlsFailures() {
    assertThat(TlsFailure.describe(new IOException("Connection reset by peer"), true)).isNull();
    assertThat(TlsFailure.describe(new ClosedChannelException(), false)).isNull();
    assertThat(TlsFailure.describe(new ClosedChannelException(), true)).isNotNull();
  }

  @Test
  void aClientIsToldWhatToFix() {
    assertThat(
            TlsFailure.fromServer(
                new SSLHandshakeException("PKIX path building failed")
                    .initCause(
                        new CertPathBuilderException("unable to find valid certification path"))))
        .contains("set client.tls.ca");
    Exception expired = new SSLHandshakeException("validity check failed");
    expired.initCause(
        new CertPathValidatorException(
            "validity check failed", new CertificateExpiredException("NotAfter: ...")));
    assertThat(TlsFailure.fromServer(expired)).contains("has expired");
    assertThat(
            TlsFailure.fromServer(
                new SSLHandshakeException("No name matching")
                    .initCause(new CertificateException("No name matching tunnel.example found"))))
        .contains("not for this host name");
    assertThat(TlsFailure.fromServer(new SSLException("Unrecognized SSL message")))
        .contains("is it a TLS port?");
    assertThat(TlsFailure.fromServer(new IOException("Connection refused"))).isNull();
  }
}
