package io.sudp.transport;

import io.netty.channel.Channel;
import io.vertx.core.Future;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.net.impl.TCPServerBase;
import java.lang.reflect.Field;

/**
 * The Netty channels under a Vert.x HTTP connection and a Vert.x HTTP server's listening socket.
 * Vert.x has no public way to reach them, and the server needs them for what Vert.x does not offer
 * (reads per turn, guards in the pipelines, a bound on connections before their TLS handshake), so
 * this class alone depends on those Vert.x internals; it fails loudly, not silently, if they change.
 */
final class VertxChannels {
  private VertxChannels() {}

  /** The listening socket of a server that has bound (the first of those sharing a port). */
  static Channel listening(HttpServer server) {
    try {
      Field bound = TCPServerBase.class.getDeclaredField("bindFuture");
      bound.setAccessible(true);
      Object channel = ((Future<?>) bound.get(server)).result();
      if (channel instanceof Channel listening) {
        return listening;
      }
      throw new IllegalStateException("the server has not bound: " + channel);
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalStateException("a Vert.x HTTP server no longer keeps its listening socket"
          + " as it did (TCPServerBase.bindFuture): " + e, e);
    }
  }

  static Channel of(HttpConnection connection) {
    if (connection instanceof ConnectionBase base) {
      return base.channel();
    }
    throw new IllegalStateException("a Vert.x HTTP connection is no longer a ConnectionBase: "
        + connection.getClass().getName());
  }
}
