package io.sudp.transport;

import io.netty.handler.ssl.NotSslRecordException;
import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLException;

/**
 * Why a TLS handshake with a client failed, said without what the client sent: a plain-text
 * request to a TLS port (a {@code ws://} client, an HTTP probe) is reported by Netty with the
 * request's bytes, bearer tokens and session ids included, and those must not reach the log.
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
        return cause.getClass().getSimpleName() + ": "
            + (detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) + "..." : detail);
      }
      if (tlsServer && cause instanceof ClosedChannelException) {
        return "the client closed the connection during the handshake (it may not trust the"
            + " certificate)";
      }
    }
    return null;
  }
}
