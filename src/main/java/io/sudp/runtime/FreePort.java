package io.sudp.runtime;

import io.sudp.config.HostPort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;

/** Port 0 in a listen address means "any free port": this picks one, so it can be logged. */
final class FreePort {
  private FreePort() {}

  /** {@code listen} itself, or with a free UDP port in place of port 0. */
  static HostPort udp(HostPort listen) {
    if (listen.port() != 0) {
      return listen;
    }
    try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(listen.host(), 0))) {
      return new HostPort(listen.host(), probe.getLocalPort());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free UDP port on " + listen.host(), e);
    }
  }
}
