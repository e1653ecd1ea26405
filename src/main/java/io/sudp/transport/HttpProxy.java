package io.sudp.transport;

/**
 * An HTTP proxy the client reaches its server through, with {@code CONNECT}: its host and port, and
 * the user name and password of its Basic authentication (both null without). The password is never
 * part of what this value shows.
 */
public record HttpProxy(String host, int port, String username, String password) {
  /** The proxy as an operator names it: {@code http://[user@]host:port}, without the password. */
  public String url() {
    String authority = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return "http://" + (username == null ? "" : username + "@") + authority + ":" + port;
  }

  @Override
  public String toString() {
    return url();
  }
}
