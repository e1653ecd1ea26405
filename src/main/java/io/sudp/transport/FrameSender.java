package io.sudp.transport;

import io.sudp.protocol.Frame;

/** Sends frames to a WebSocket peer; implemented by the server and the client transports. */
public interface FrameSender {
  /**
   * Queues a frame for a peer without blocking.
   *
   * @param peer the connection to send on; ignored by a client, which has one
   * @return false if the frame was dropped because the queue was full (the writer counted it)
   */
  boolean send(Frame frame, PeerConnection peer);
}
