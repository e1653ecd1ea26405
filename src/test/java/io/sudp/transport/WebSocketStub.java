package io.sudp.transport;

import io.netty.buffer.Unpooled;
import io.sudp.protocol.Frame;
import io.sudp.protocol.FrameCodec;
import io.sudp.protocol.ProtocolException;
import io.sudp.protocol.ProtocolVersion;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketBase;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * A WebSocket for a {@link FrameWriter} to write to without a network: it keeps every message
 * written, and the test decides when its write queue is full, when it drains and when it closes.
 */
final class WebSocketStub {
  private final List<byte[]> messages = new ArrayList<>();
  private final WebSocketBase socket =
      (WebSocketBase)
          Proxy.newProxyInstance(
              WebSocketBase.class.getClassLoader(),
              new Class<?>[] {WebSocketBase.class},
              (proxy, method, args) -> answer(proxy, method, args));
  private int room = Integer.MAX_VALUE;
  private boolean closed;
  private boolean closedMeanwhile;
  private Handler<Void> drainHandler;

  WebSocketBase socket() {
    return socket;
  }

  /** Takes {@code messages} more messages, then says its write queue is full. */
  void roomFor(int messages) {
    room = messages;
  }

  /** Has room again and says so, as Vert.x calls the drain handler once its queue drained. */
  void drain() {
    room = Integer.MAX_VALUE;
    drainHandler.handle(null);
  }

  void close() {
    closed = true;
  }

  /**
   * Says it is open, then fails the question for room with "WebSocket is closed", as Vert.x does
   * for a socket closed from another thread in between.
   */
  void closeMeanwhile() {
    closedMeanwhile = true;
  }

  /** The frames of each message written, in order. */
  List<List<Frame>> messages() throws ProtocolException {
    List<List<Frame>> decoded = new ArrayList<>();
    for (byte[] message : messages) {
      decoded.add(FrameCodec.decode(Unpooled.wrappedBuffer(message), ProtocolVersion.V2));
    }
    return decoded;
  }

  /** The size of each message written, in bytes. */
  List<Integer> sizes() {
    return messages.stream().map(message -> message.length).toList();
  }

  private Object answer(Object proxy, Method method, Object[] args) {
    return switch (method.getName()) {
      case "isClosed" -> closed;
      case "writeQueueFull" -> {
        if (closedMeanwhile) {
          throw new IllegalStateException("WebSocket is closed");
        }
        yield room <= 0;
      }
      case "writeBinaryMessage" -> {
        messages.add(((Buffer) args[0]).getBytes());
        room--;
        yield null;
      }
      case "drainHandler" -> {
        @SuppressWarnings("unchecked")
        Handler<Void> handler = (Handler<Void>) args[0];
        drainHandler = handler;
        yield proxy;
      }
      default -> throw new UnsupportedOperationException(method.getName());
    };
  }
}
