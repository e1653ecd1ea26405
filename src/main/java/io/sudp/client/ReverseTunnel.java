package io.sudp.client;

import io.sudp.protocol.Destination;
import java.time.Duration;

/**
 * A reverse tunnel the client offers (protocol version 2): a port the server listens on for it
 * ({@code remoteHost} an IP literal the server must bind, or null for the server's reverse bind
 * address), whose datagrams the client sends to {@code destination} on its own side. A value, from
 * the configuration.
 */
public record ReverseTunnel(
    String name, String remoteHost, int remotePort, Destination destination, Duration idleTimeout) {
  /** {@code PORT} or {@code IP:PORT}. */
  public String remoteListen() {
    if (remoteHost == null) {
      return Integer.toString(remotePort);
    }
    return remoteHost.indexOf(':') >= 0
        ? "[" + remoteHost + "]:" + remotePort
        : remoteHost + ":" + remotePort;
  }
}
