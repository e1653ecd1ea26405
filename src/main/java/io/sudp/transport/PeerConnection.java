package io.sudp.transport;

import io.netty.channel.EventLoop;
import io.sudp.ops.ProtocolViolation;
import io.sudp.protocol.CloseCodes;
import io.sudp.protocol.Frame;
import io.sudp.protocol.ProtocolVersion;
import io.vertx.core.http.WebSocketBase;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One live WebSocket connection with its outbound queue and the event loop that owns it. State kept
 * per connection (the server's flows of one client) is touched only on {@link #loop()}.
 */
public final class PeerConnection implements WebSocketGuard.Listener {
  private static final AtomicLong IDS = new AtomicLong();

  private final long id = IDS.incrementAndGet();
  private final WebSocketBase socket;
  private final EventLoop loop;
  private final FrameWriter writer;
  private final String remote;
  private final String session;
  private final String user;
  private final Violations violations;
  private final SessionPort.Carried carried;
  private final ProtocolVersion version;
  private volatile Short closedWith;

  /**
   * @param client who is at the other end: the peer, or the client a trusted proxy named (null: the
   *     peer, on the client side)
   * @param carried the session this connection carries, shared by all its connections
   */
  PeerConnection(
      WebSocketBase socket,
      EventLoop loop,
      FrameWriter writer,
      ClientAddress client,
      String session,
      String user,
      Violations violations,
      SessionPort.Carried carried) {
    this.socket = socket;
    ProtocolVersion chosen = ProtocolVersion.ofSubprotocol(socket.subProtocol());
    this.version = chosen != null ? chosen : ProtocolVersion.V1;
    this.violations = violations;
    this.carried = carried;
    this.session = session;
    this.user = user;
    this.loop = loop;
    this.writer = writer;
    this.remote = client != null ? client.toString() : String.valueOf(socket.remoteAddress());
  }

  public long id() {
    return id;
  }

  /** The client session this connection carries; it may outlive the connection. */
  public String session() {
    return session;
  }

  /**
   * True once the session this connection carries has ended: what it still sends belongs to no
   * session, and must not start one.
   */
  public boolean sessionEnded() {
    return carried.ended();
  }

  /** The session this connection carries, as the session side made it. */
  public SessionPort.Carried carried() {
    return carried;
  }

  /** The authenticated user, or null where the server asks for none (and on the client). */
  public String user() {
    return user;
  }

  /** The protocol version the handshake chose; what the connection reads and writes. */
  public ProtocolVersion version() {
    return version;
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

  /**
   * Closes the connection with a WebSocket close code and a reason the peer can log. The first
   * close decides: see {@link #endsSession}. The socket is closed on its own event loop, like
   * everything else that happens to it, so no handler of it ever finds it closed half-way.
   */
  public void close(short code, String reason) {
    synchronized (this) {
      if (closedWith != null) {
        return;
      }
      closedWith = code;
    }
    if (loop.inEventLoop()) {
      socket.close(code, reason);
    } else {
      loop.execute(() -> socket.close(code, reason));
    }
  }

  /** True once this end has closed the connection: what the peer sends now is not read on. */
  public boolean isClosing() {
    return closedWith != null;
  }

  /**
   * The peer broke the protocol: counted, logged at a bounded rate and closed with the close code
   * of {@code violation}, once per connection.
   */
  @Override
  public void violated(ProtocolViolation violation, String detail) {
    if (!isClosing()) {
      violations.report(this, violation, detail);
    }
  }

  /** A message in pieces found no room in the server's memory for peers: closed with 1013. */
  @Override
  public void outOfMemory() {
    if (!isClosing()) {
      violations.outOfMemory(this);
    }
  }

  /**
   * Whether the session ends with this connection, given the close code the peer sent (null: the
   * connection was lost without one). If this end closed it, its own code decides. A session waits
   * for its client to resume after a lost connection, a going-away (a keepalive timeout, a restart)
   * or an operator's disconnect; a client that left (1000) or broke the protocol does not come
   * back.
   */
  public boolean endsSession(Short peerCode) {
    Short code = closedWith != null ? closedWith : peerCode;
    return code != null && code != CloseCodes.GOING_AWAY && code != CloseCodes.POLICY_VIOLATION;
  }

  @Override
  public String toString() {
    return "connection " + id + " from " + remote + (user != null ? " (" + user + ")" : "");
  }
}
