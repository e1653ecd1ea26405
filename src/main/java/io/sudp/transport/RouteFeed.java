package io.sudp.transport;

/**
 * Something outside Camel that produces messages for a route: a WebSocket server or client, or the
 * server's per-flow UDP sockets. A {@code sudp:} consumer endpoint opens it with itself as the
 * sink, so starting or stopping the route starts or stops the source.
 */
public interface RouteFeed {
  /** Starts producing; every message is handed to {@code sink} on an event loop. */
  void open(FeedSink sink) throws Exception;

  /** Stops producing and frees the source's sockets. */
  void close();
}
