package io.sudp.transport;

import io.netty.handler.proxy.HttpProxyHandler.HttpProxyConnectException;
import io.netty.handler.proxy.ProxyConnectException;
import io.sudp.ops.Failures;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why an HTTP proxy did not open the way to the server, in the words an operator needs: its status
 * line for a refusal (407 or 401: the credentials, 403: its rules, 502: it could not reach the
 * server), or that it could not be reached, did not answer in time, or answered something that is
 * not HTTP. Of what the proxy sent, only the status code and a short printable reason phrase are
 * shown; the password is never part of any of it.
 */
final class ProxyFailure {
  /** How Netty's proxy handler ends its message for a response other than 200. */
  private static final Pattern STATUS =
      Pattern.compile(", status: (\\d{3}) ?(.*)$", Pattern.DOTALL);

  /**
   * The status Netty's HTTP decoder gives an answer that is not HTTP, or whose head is too long.
   */
  private static final int NOT_HTTP = 999;

  private static final int MAX_REASON = 80;

  private ProxyFailure() {}

  /**
   * What went wrong with {@code proxy} if {@code error} is a failure of the proxy, else null (the
   * proxy connected, and the server or the TLS handshake with it failed).
   */
  static String describe(Throwable error, HttpProxy proxy) {
    HttpProxyConnectException refused = Failures.find(error, HttpProxyConnectException.class);
    if (refused != null) {
      return refusal(String.valueOf(refused.getMessage()), proxy);
    }
    ProxyConnectException failed = Failures.find(error, ProxyConnectException.class);
    if (failed != null) {
      String message = String.valueOf(failed.getMessage());
      if (message.endsWith(", timeout")) {
        return "the proxy " + proxy.url() + " did not answer the CONNECT in time";
      }
      if (message.endsWith(", disconnected")) {
        return "the proxy " + proxy.url() + " closed the connection without answering the CONNECT";
      }
      Throwable cause = failed.getCause() == null ? failed : failed.getCause();
      return "the connection to the proxy "
          + proxy.url()
          + " failed: "
          + printable(cause.getMessage());
    }
    if (Failures.find(error, ConnectException.class) != null
        || Failures.find(error, NoRouteToHostException.class) != null
        || Failures.find(error, UnknownHostException.class) != null) {
      return "cannot reach the proxy " + proxy.url() + ": " + printable(Failures.describe(error));
    }
    return null;
  }

  /** A refusal: the proxy answered the CONNECT with a status other than 200. */
  private static String refusal(String message, HttpProxy proxy) {
    Matcher status = STATUS.matcher(message);
    if (!status.find()) {
      return "the proxy " + proxy.url() + " did not answer the CONNECT with one HTTP response";
    }
    int code = Integer.parseInt(status.group(1));
    if (code == NOT_HTTP) {
      return "the proxy "
          + proxy.url()
          + " answered something that is not HTTP (or whose status line or header is too long)";
    }
    String answered =
        "the proxy " + proxy.url() + " answered " + code + " " + printable(status.group(2));
    return switch (code) {
      case 407, 401 -> // 401: how tinyproxy refuses a wrong password
          answered
              + (proxy.username() == null
                  ? ": it requires a user and password (client.proxy: http://USER@HOST:PORT,"
                      + " with client.proxy-password-file or -env)"
                  : ": it refused the user and password (check client.proxy's user and"
                      + " client.proxy-password-file or -env)");
      case 403 -> answered + ": its rules do not allow a connection to this server and port";
      case 502, 503, 504 -> answered + ": it could not reach the server";
      default -> answered + " instead of connecting";
    };
  }

  /** {@code text} with only printable ASCII, cut to a length that fits a log line. */
  private static String printable(String text) {
    String kept = String.valueOf(text).replaceAll("[^\\x20-\\x7e]", "?");
    return kept.length() > MAX_REASON ? kept.substring(0, MAX_REASON) + "..." : kept;
  }
}
