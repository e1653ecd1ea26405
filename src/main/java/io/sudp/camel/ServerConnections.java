package io.sudp.camel;

import io.sudp.transport.FrameSender;

/**
 * A client's connections, one per server URL, credentials and connection name, made on first use:
 * what a tunnel route's {@code sudp:} endpoint sends to when it names a server ({@code
 * sudp:sudpClient?server=...&credentials=...&connection=...}), so that a route declares where its
 * frames go with plain values instead of the registry name of a connection built beforehand.
 */
public interface ServerConnections {
  /**
   * The connection to {@code server} with the named {@code credentials}, made now if no tunnel used
   * it before.
   *
   * @param server a ws:// or wss:// URL; empty for the client's own server
   * @param credentials an entry of the client's credentials; empty for the client's own
   * @param connection the name of a connection of its own to that server; empty for the shared one
   * @throws IllegalArgumentException if the server or credentials cannot be used
   */
  FrameSender connection(String server, String credentials, String connection);
}
