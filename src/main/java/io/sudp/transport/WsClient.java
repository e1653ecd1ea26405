package io.sudp.transport;

import io.sudp.ops.Direction;
import io.sudp.ops.TrafficCounters;
import io.sudp.protocol.CloseCodes;
import io.sudp.protocol.Frame;
import io.sudp.protocol.Limits;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's one WebSocket connection to the server. It connects by itself and reconnects with
 * exponential backoff and jitter; frames sent while it is down wait in the bounded queue and go out,
 * in order, after the frames that re-open the live flows.
 */
public final class WsClient implements RouteFeed, FrameSender {
  private static final Logger LOG = LoggerFactory.getLogger(WsClient.class);
  private static final long INITIAL_BACKOFF_MS = 250;
  private static final long MAX_BACKOFF_MS = 15_000;

  private final Vertx vertx;
  private final String url;
  private final FrameWriter writer;
  private final ContextInternal context;
  private volatile Supplier<List<Frame>> reopenFrames = List::of;
  private volatile WebSocket socket;
  private volatile boolean open;
  private WebSocketClient client;
  private long backoffMs = INITIAL_BACKOFF_MS;
  private boolean everConnected;
  private int failedAttempts;

  public WsClient(Vertx vertx, String url, int queueFrames, long queueBytes,
      TrafficCounters counters) {
    this.vertx = vertx;
    this.url = url;
    this.writer = new FrameWriter(queueFrames, queueBytes, counters, Direction.UPSTREAM);
    this.context = ((VertxInternal) vertx).createEventLoopContext();
  }

  /** Frames that re-establish the client's flows on a new connection, sent before anything else. */
  public void onReconnect(Supplier<List<Frame>> frames) {
    this.reopenFrames = frames;
  }

  public boolean isConnected() {
    return socket != null;
  }

  public int queueDepth() {
    return writer.depth();
  }

  @Override
  public boolean send(Frame frame, PeerConnection ignored) {
    return writer.offer(frame);
  }

  @Override
  public void open(FeedSink sink) {
    open = true;
    context.runOnContext(ignored -> {
      client = vertx.createWebSocketClient(new WebSocketClientOptions()
          .setTcpNoDelay(true)
          .setConnectTimeout(10_000)
          .setMaxFrameSize(Limits.MAX_MESSAGE)
          .setMaxMessageSize(Limits.MAX_MESSAGE)
          .setTryUsePerMessageCompression(false)
          .setTryUsePerFrameCompression(false));
      connect(sink);
    });
  }

  private void connect(FeedSink sink) {
    if (!open) {
      return;
    }
    WebSocketConnectOptions options = new WebSocketConnectOptions()
        .setAbsoluteURI(url)
        .setSubProtocols(List.of(Limits.SUBPROTOCOL));
    client.connect(options).onComplete(result -> {
      if (result.succeeded()) {
        connected(result.result(), sink);
      } else {
        // One warning per outage, not per attempt: the attempts go on with backoff.
        if (failedAttempts++ == 0) {
          LOG.warn("cannot connect to {}: {}; retrying with backoff", url,
              result.cause().getMessage());
        } else {
          LOG.debug("attempt {} to connect to {} failed: {}", failedAttempts, url,
              result.cause().getMessage());
        }
        retry(sink);
      }
    });
  }

  private void connected(WebSocket ws, FeedSink sink) {
    if (!open) {
      ws.close(CloseCodes.GOING_AWAY, "client shutting down");
      return;
    }
    backoffMs = INITIAL_BACKOFF_MS;
    LOG.info("{} to {}{}", everConnected ? "reconnected" : "connected", url,
        failedAttempts > 0 ? " after " + failedAttempts + " failed attempts" : "");
    failedAttempts = 0;
    everConnected = true;
    socket = ws;
    PeerConnection peer = new PeerConnection(ws, context.nettyEventLoop(), writer);
    ws.binaryMessageHandler(message -> sink.deliver(message.getByteBuf(), peer));
    ws.exceptionHandler(error -> LOG.debug("connection to {}: {}", url, error.toString()));
    ws.closeHandler(ignored -> {
      socket = null;
      writer.detach();
      if (open) {
        LOG.warn("connection to {} {}; reconnecting", url, ws.closeStatusCode() == null
            ? "lost" : "closed by the server (" + ws.closeStatusCode() + " " + ws.closeReason() + ")");
        retry(sink);
      }
    });
    writer.attach(ws, context.nettyEventLoop(), reopenFrames.get());
  }

  private void retry(FeedSink sink) {
    long delay = backoffMs / 2 + ThreadLocalRandom.current().nextLong(backoffMs / 2 + 1);
    backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
    vertx.setTimer(Math.max(1, delay), ignored -> connect(sink));
  }

  @Override
  public void close() {
    open = false;
    context.runOnContext(ignored -> {
      WebSocket current = socket;
      if (current != null) {
        current.close(CloseCodes.GOING_AWAY, "client shutting down");
      }
      if (client != null) {
        client.close();
      }
    });
    writer.detach();
    writer.discard();
  }
}
