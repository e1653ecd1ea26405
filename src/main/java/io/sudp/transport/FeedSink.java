package io.sudp.transport;

/** Receives what a {@link RouteFeed} produces; implemented by the {@code sudp:} consumer. */
@FunctionalInterface
public interface FeedSink {
  /**
   * Handles one message synchronously, on the calling event loop.
   *
   * @param body the message: a WebSocket message as {@code ByteBuf}, or a frame
   * @param peer the WebSocket connection it came from or belongs to
   */
  void deliver(Object body, PeerConnection peer);
}
