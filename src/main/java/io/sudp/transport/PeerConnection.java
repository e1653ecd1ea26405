package io.sudp.transport;

import io.netty.channel.EventLoop;
import io.sudp.protocol.Frame;
import io.vertx.core.http.WebSocketBase;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One live WebSocket connection with its outbound queue and the event loop that owns it. State kept
 * per connection (the server's flows of one client) is touched only on {@link #loop()}.
 */
public final class PeerConnection {
  private static final AtomicLong IDS = new AtomicLong();

  private final long id = IDS.incrementAndGet();
  private final WebSocketBase socket;
  private final EventLoop loop;
  private final FrameWriter writer;
  private final String remote;
  private final String session;
  private final String user;

  PeerConnection(WebSocketBase socket, EventLoop loop, FrameWriter writer, String session,
      String user) {
    this.socket = socket;
    this.session = session;
    this.user = user;
    this.loop = loop;
    this.writer = writer;
    this.remote = String.valueOf(socket.remoteAddress());
  }

  public long id() {
    return id;
  }

  /** The client session this connection carries; it may outlive the connection. */
  public String session() {
    return session;
  }

  /** The authenticated user, or null where the server asks for none (and on the client). */
  public String user() {
    return user;
  }

  public EventLoop loop() {
    return loop;
  }

  /** The queue of frames waiting to go out on this connection. */
  FrameWriter writer() {
    return writer;
  }

  public boolean send(Frame frame) {
    return writer.offer(frame);
  }

  /** Closes the connection with a WebSocket close code and a reason the peer can log. */
  public void close(short code, String reason) {
    socket.close(code, reason);
  }

  @Override
  public String toString() {
    return "connection " + id + " from " + remote + (user != null ? " (" + user + ")" : "");
  }
}
