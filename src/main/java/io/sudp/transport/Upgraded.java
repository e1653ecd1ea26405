package io.sudp.transport;

import io.netty.channel.EventLoop;
import io.sudp.protocol.SessionFrame;
import io.vertx.core.http.WebSocketBase;
import java.util.List;

/**
 * A WebSocket connection just upgraded, before it carries a session: what the session side needs to
 * make it the connection of its session, without knowing WebSocket sockets.
 */
public final class Upgraded {
  private final WebSocketBase socket;
  private final EventLoop loop;
  private final ClientAddress client;
  private final Violations violations;

  Upgraded(WebSocketBase socket, EventLoop loop, ClientAddress client, Violations violations) {
    this.socket = socket;
    this.loop = loop;
    this.client = client;
    this.violations = violations;
  }

  /**
   * Makes this the connection of session {@code session}: what {@code queue} holds for the session
   * goes out on it from now, after a SESSION frame that tells the client whether its session was
   * resumed. Call on the connection's event loop.
   *
   * @param carried the session, as the session side made it, shared by all its connections
   */
  public PeerConnection carry(
      FrameWriter queue,
      String session,
      String user,
      SessionPort.Carried carried,
      boolean resumed) {
    PeerConnection peer =
        new PeerConnection(socket, loop, queue, client, session, user, violations, carried);
    queue.detach();
    queue.attach(socket, loop, List.of(new SessionFrame(resumed)));
    return peer;
  }
}
