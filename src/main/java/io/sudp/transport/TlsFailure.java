package io.sudp.transport;

import io.netty.handler.ssl.NotSslRecordException;
import io.sudp.ops.Failures;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import javax.net.ssl.SSLException;

/**
 * Why a TLS handshake failed, in the words its reader needs. On the server, said without what the
 * client sent: a plain-text request to a TLS port (a {@code ws://} client, an HTTP probe) is
 * reported by Netty with the request's bytes, bearer tokens and session ids included, and those
 * must not reach the log. On the client, with the fix: trust the CA, use the certificate's name,
 * renew it.
 */
final class TlsFailure {
  private static final int MAX_DETAIL = 200;

  private TlsFailure() {}

  /**
   * A line for the log if {@code error} is a TLS failure on a server that speaks TLS, else null.
   */
  static String describe(Throwable error, boolean tlsServer) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof NotSslRecordException) {
        return "not a TLS record: the client speaks plain text (ws:// to a wss:// server?)";
      }
      if (cause instanceof SSLException) {
        String detail = String.valueOf(cause.getMessage());
        return cause.getClass().getSimpleName()
            + ": "
            + (detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) + "..." : detail);
      }
      if (tlsServer && cause instanceof ClosedChannelException) {
        return "the client closed the connection during the handshake (it may not trust the"
            + " certificate)";
      }
    }
    return null;
  }

  /**
   * Why this client's TLS handshake with its server failed, and what to do about it; null if {@code
   * error} is no TLS failure. The JDK's reasons are found along the causes.
   */
  static String fromServer(Throwable error) {
    if (Failures.find(error, CertificateExpiredException.class) != null) {
      return "TLS: the server's certificate has expired: the server must renew it";
    }
    CertificateException name = Failures.find(error, CertificateException.class);
    if (name != null && String.valueOf(name.getMessage()).startsWith("No ")) {
      return "TLS: the server's certificate is not for this host name ("
          + name.getMessage()
          + "): connect by a name the certificate lists";
    }
    if (Failures.find(error, CertPathBuilderException.class) != null
        || Failures.find(error, CertPathValidatorException.class) != null) {
      return "TLS: the server's certificate is not signed by a CA this client trusts: set"
          + " client.tls.ca to that CA's certificate";
    }
    SSLException tls = Failures.find(error, SSLException.class);
    return tls == null
        ? null
        : "TLS: " + tls.getMessage() + " (is it a TLS port? wss:// needs one, ws:// not)";
  }
}
