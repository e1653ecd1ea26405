package io.sudp.transport;

import io.netty.channel.Channel;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * The Netty channel under a Vert.x HTTP connection. Vert.x has no public way to reach it, and the
 * server needs it for what Vert.x does not offer (reads per turn, a guard in the pipeline), so this
 * class alone depends on that Vert.x internal; it fails loudly, not silently, if it changes.
 */
final class VertxChannels {
  private VertxChannels() {}

  static Channel of(HttpConnection connection) {
    if (connection instanceof ConnectionBase base) {
      return base.channel();
    }
    throw new IllegalStateException("a Vert.x HTTP connection is no longer a ConnectionBase: "
        + connection.getClass().getName());
  }
}
