package io.sudp.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.Future;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.impl.WebSocketInternal;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.net.impl.TCPServerBase;
import java.lang.reflect.Field;

/**
 * The Netty channels under a Vert.x HTTP connection and a Vert.x HTTP server's listening socket.
 * Vert.x 4 has no public way to reach them, and the server needs them for what Vert.x does not
 * offer (reads per turn, guards in the pipelines, a bound on connections before their TLS
 * handshake, the event loop a connection's writes are scheduled on), so this class alone depends on
 * those Vert.x internals. It fails loudly, not silently, if they change, and {@code
 * VertxChannelsTest} uses each of them on a real connection.
 */
final class VertxChannels {
  /** The name of Vert.x's handler, last in the pipeline of its connections. */
  private static final String VERTX_HANDLER = "handler";

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
      throw new IllegalStateException(
          "a Vert.x HTTP server no longer keeps its listening socket"
              + " as it did (TCPServerBase.bindFuture): "
              + e,
          e);
    }
  }

  /** The channel under a WebSocket Vert.x made (client or server side). */
  static Channel of(WebSocketBase socket) {
    if (socket instanceof WebSocketInternal internal) {
      return internal.channelHandlerContext().channel();
    }
    throw new IllegalStateException(
        "a Vert.x WebSocket is no longer a WebSocketInternal: " + socket.getClass().getName());
  }

  /**
   * Adds {@code handler} right before Vert.x's own handler of an upgraded connection, where it sees
   * the WebSocket frames Vert.x reads and writes, after the frame codec.
   */
  static void addBeforeVertx(Channel channel, String name, ChannelHandler handler) {
    ChannelPipeline pipeline = channel.pipeline();
    if (pipeline.get(VERTX_HANDLER) == null) {
      throw new IllegalStateException(
          "Vert.x no longer names its handler '" + VERTX_HANDLER + "': " + pipeline.names());
    }
    pipeline.addBefore(VERTX_HANDLER, name, handler);
  }

  static Channel of(HttpConnection connection) {
    if (connection instanceof ConnectionBase base) {
      return base.channel();
    }
    throw new IllegalStateException(
        "a Vert.x HTTP connection is no longer a ConnectionBase: "
            + connection.getClass().getName());
  }
}
