package io.sudp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class TlsFailureTest {
  @Test
  void aPlainTextRequestIsNamedWithoutItsBytes() {
    String secret = "Bearer robot-token-0123456789";
    DecoderException error = new DecoderException(new NotSslRecordException(
        "not an SSL/TLS record: 474554202f73756470 Authorization: " + secret));

    String line = TlsFailure.describe(error, true);

    assertThat(line).startsWith("not a TLS record").doesNotContain(secret).doesNotContain("4745");
  }

  @Test
  void handshakeFailuresKeepTheirReasonWithinBounds() {
    assertThat(TlsFailure.describe(new DecoderException(new SSLHandshakeException(
        "Received fatal alert: certificate_unknown")), true))
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
}
