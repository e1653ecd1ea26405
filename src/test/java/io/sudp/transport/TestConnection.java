package io.sudp.transport;

import io.netty.channel.EventLoop;
import io.sudp.ops.Direction;
import io.sudp.ops.TrafficCounters;
import io.sudp.protocol.Frame;
import io.sudp.protocol.FrameCodec;
import io.sudp.protocol.ProtocolVersion;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketBase;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A server-side connection for unit tests of what runs behind the WebSocket server: a socket that
 * records the frames written to it and how it was closed, made a connection as the WebSocket server
 * makes one. It lives in the transport package of the tests because only the transport makes
 * connections.
 */
public final class TestConnection {
  private final List<Frame> written = new CopyOnWriteArrayList<>();
  private volatile Short closedWith;
  private final WebSocketBase socket =
      (WebSocketBase)
          Proxy.newProxyInstance(
              TestConnection.class.getClassLoader(),
              new Class<?>[] {ServerWebSocket.class},
              (proxy, method, args) -> answer(proxy, method, args));
  private PeerConnection peer;

  /** The socket upgraded on {@code loop}, not yet carrying a session. */
  public Upgraded upgraded(EventLoop loop, TrafficCounters counters) {
    return new Upgraded(socket, loop, null, new Violations(counters));
  }

  /**
   * Makes the socket the connection of {@code carried}, session {@code session} of {@code user}
   * (null: none), on {@code loop}, as the session side does on upgrade.
   */
  public TestConnection carry(
      SessionPort.Carried carried,
      String session,
      String user,
      EventLoop loop,
      TrafficCounters counters) {
    FrameWriter queue =
        new FrameWriter(QueueLimits.DEFAULT, counters, Direction.DOWNSTREAM, QueueBudget.UNBOUNDED);
    try {
      peer =
          loop.submit(() -> upgraded(loop, counters).carry(queue, session, user, carried, false))
              .get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return this;
  }

  /**
   * Admits and attaches the socket to session {@code id} of {@code user} in {@code sessions}, on
   * {@code loop}, as the WebSocket server does on upgrade; null if the session side refused it.
   */
  public PeerConnection attach(
      SessionPort sessions, String id, String user, EventLoop loop, TrafficCounters counters) {
    try {
      return loop.submit(() -> sessions.attach(sessions.admit(id, user), upgraded(loop, counters)))
          .get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The connection made by {@link #carry}. */
  public PeerConnection peer() {
    return peer;
  }

  /** Frames written to the socket so far, in order. */
  public List<Frame> written() {
    return List.copyOf(written);
  }

  /** The close code the server closed the socket with, or null while it is open. */
  public Short closedWith() {
    return closedWith;
  }

  private Object answer(Object proxy, Method method, Object[] args) throws Exception {
    switch (method.getName()) {
      case "writeBinaryMessage":
        written.addAll(FrameCodec.decode(((Buffer) args[0]).getByteBuf(), ProtocolVersion.V2));
        return Future.succeededFuture();
      case "close":
        closedWith = args != null && args.length > 0 ? (Short) args[0] : 1000;
        return Future.succeededFuture();
      case "isClosed":
        return closedWith != null;
      case "writeQueueFull":
        return false;
      case "drainHandler":
        return proxy;
      case "remoteAddress":
        return null;
      case "subProtocol":
        return ProtocolVersion.V2.subprotocol();
      case "toString":
        return "test socket";
      case "hashCode":
        return System.identityHashCode(proxy);
      case "equals":
        return proxy == args[0];
      default:
        throw new UnsupportedOperationException(method.getName());
    }
  }
}
