package io.sudp.transport;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.sudp.ops.ConnectFailure;
import io.sudp.ops.Direction;
import io.sudp.ops.DropCause;
import io.sudp.ops.RateLimitedLog;
import io.sudp.ops.TrafficCounters;
import io.sudp.protocol.CloseCodes;
import io.sudp.protocol.Frame;
import io.sudp.protocol.Limits;
import io.sudp.protocol.ProtocolVersion;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's one WebSocket connection to the server, directly or through an HTTP proxy ({@code
 * CONNECT}). It connects by itself, one attempt at a time, and reconnects with exponential backoff
 * and jitter; keepalive pings detect a dead connection that TCP has not noticed. Frames sent while
 * it is down wait in the bounded queue and go out, in order, after the frames that re-open the live
 * flows. All connection state is handled on one event loop; only {@link #send} is called from
 * others.
 */
public final class WsClient implements RouteFeed, FrameSender {
  private static final Logger LOG = LoggerFactory.getLogger(WsClient.class);
  private static final int HANDSHAKE_TIMEOUT_MS = 10_000;

  /** How long a closing client waits for the server to answer its close frame. */
  private static final long CLOSE_ANSWER_TIMEOUT_MS = 2_000;

  /** The client's side of its session, which only the server ends. */
  private static final SessionPort.Carried CLIENT_SESSION = () -> false;

  private final Vertx vertx;
  private final String url;
  private final FrameWriter writer;
  private final TrafficCounters counters;
  private final Violations violations;
  private final long keepaliveMillis;
  private final BackoffPolicy backoff;
  private final ClientSecurity security;
  private final HttpProxy proxy;

  /** How the connection's log line names the way: empty, or the proxy it goes through. */
  private final String via;

  /** The event loop context of the connection, made as the client opens; null before. */
  private volatile Context context;

  /** The verticle that context belongs to; undeploying it closes the WebSocket client. */
  private volatile Future<String> deployment;

  private final String session = SessionHeader.idFrom(null);
  private volatile Function<ProtocolVersion, List<Frame>> reopenFrames = version -> List.of();
  private volatile WebSocket socket;
  private volatile Keepalive keepalive;
  private volatile boolean open;
  private WebSocketClient client;
  private boolean everConnected;
  private int failedAttempts;

  /** The reason the last warning of this outage gave. */
  private String warnedError;

  private final RateLimitedLog changedErrors = new RateLimitedLog(LOG);
  private long inDoubt;
  private volatile String lastError;
  private volatile Instant downSince = Instant.now();
  private final AtomicLong reconnects = new AtomicLong();
  private final AtomicLongArray connectFailures =
      new AtomicLongArray(ConnectFailure.values().length);
  private Duration drainTimeout = Duration.ZERO;

  public WsClient(
      Vertx vertx,
      String url,
      QueueLimits queue,
      Duration keepalive,
      BackoffPolicy backoff,
      ClientSecurity security,
      HttpProxy proxy,
      TrafficCounters counters) {
    this.vertx = vertx;
    this.url = url;
    this.writer = new FrameWriter(queue, counters, Direction.UPSTREAM, QueueBudget.UNBOUNDED);
    this.counters = counters;
    this.violations = new Violations(counters);
    this.keepaliveMillis = keepalive.toMillis();
    this.backoff = backoff;
    this.security = security;
    this.proxy = proxy;
    this.via = proxy == null ? "" : " through the proxy " + proxy.url();
  }

  /**
   * On {@link #close}, gives queued frames up to {@code timeout} to reach the server, over the
   * connection or one that comes back meanwhile, before the connection closes. Call before the
   * route starts.
   */
  public void drainOnClose(Duration timeout) {
    this.drainTimeout = timeout;
  }

  /**
   * Frames that re-establish the client's flows (and, in version 2, its reverse listeners) on a new
   * connection of the version its handshake chose, sent before anything else.
   */
  public void onReconnect(Function<ProtocolVersion, List<Frame>> frames) {
    this.reopenFrames = frames;
  }

  public boolean isConnected() {
    return socket != null;
  }

  /**
   * Why the client is not connected: how the last connection ended or why the last attempt failed;
   * null when connected.
   */
  public String lastError() {
    return socket == null ? lastError : null;
  }

  /** Since when the client has had no connection (made, or lost last); null when connected. */
  public Instant disconnectedSince() {
    return socket == null ? downSince : null;
  }

  public int queueDepth() {
    return writer.depth();
  }

  /** Round-trip time of the last keepalive ping in microseconds; -1 when not known. */
  public long keepaliveRttMicros() {
    Keepalive current = keepalive;
    return current == null || current.rttNanos() < 0 ? -1 : current.rttNanos() / 1000;
  }

  @Override
  public boolean send(Frame frame, PeerConnection ignored) {
    return writer.offer(frame);
  }

  @Override
  public void open(FeedSink sink) {
    open = true;
    WebSocketClientOptions options =
        new WebSocketClientOptions()
            .setTcpNoDelay(true)
            .setConnectTimeout(HANDSHAKE_TIMEOUT_MS)
            .setClosingTimeout(2)
            .setMaxFrameSize(Limits.MAX_MESSAGE)
            .setMaxMessageSize(Limits.MAX_MESSAGE)
            .setTryUsePerMessageCompression(false)
            .setTryUsePerFrameCompression(false);
    if (security.caFile() != null) {
      options.setTrustOptions(new PemTrustOptions().addCertPath(security.caFile().toString()));
    }
    if (security.certificate() != null) {
      options.setKeyCertOptions(
          new PemKeyCertOptions()
              .setCertPath(security.certificate().toString())
              .setKeyPath(security.key().toString()));
    }
    if (security.insecure()) {
      LOG.warn(
          "TLS certificate verification is OFF (tls.insecure): anyone in the path can read"
              + " and change the tunnel's traffic");
      options.setTrustAll(true).setVerifyHost(false);
    }
    if (proxy != null) {
      // CONNECT for ws:// too; the proxy's answer within the same bound as the rest of the
      // handshake (Netty's decoder bounds its status line and header, and drops its body).
      options.setProxyOptions(
          new ProxyOptions()
              .setType(ProxyType.HTTP)
              .setHost(proxy.host())
              .setPort(proxy.port())
              .setUsername(proxy.username())
              .setPassword(proxy.password())
              .setConnectTimeout(Duration.ofMillis(HANDSHAKE_TIMEOUT_MS)));
    }
    deployment =
        EventLoopVerticle.deploy(
            vertx,
            started -> {
              context = Vertx.currentContext();
              client = vertx.createWebSocketClient(options);
              connect(sink);
              started.complete();
            });
  }

  private void connect(FeedSink sink) {
    if (!open) {
      return;
    }
    WebSocketConnectOptions options =
        new WebSocketConnectOptions()
            .setAbsoluteURI(url)
            .addHeader(SessionHeader.NAME, session)
            .setTimeout(HANDSHAKE_TIMEOUT_MS)
            .setSubProtocols(ProtocolVersion.OFFERED);
    if (security.authorization() != null) {
      options.addHeader(HttpHeaders.AUTHORIZATION, security.authorization());
    }
    client
        .connect(options)
        .onComplete(
            result -> {
              if (result.succeeded()) {
                connected(result.result(), sink);
              } else {
                // One warning per outage, not per attempt: the attempts go on with backoff.
                failedAttempts++;
                ConnectError error = ConnectError.of(result.cause(), proxy);
                connectFailures.incrementAndGet(error.cause().ordinal());
                lastError = error.reason();
                if (failedAttempts == 1) {
                  LOG.warn("cannot connect to {}: {}; retrying with backoff", url, lastError);
                  warnedError = lastError;
                } else if (!lastError.equals(warnedError)) {
                  // The outage changed its nature (the proxy now refuses, the server now
                  // answers 503): said again, but a flapping cause not at every attempt.
                  changedErrors.warn(
                      "still cannot connect to {}, now: {}; retrying with backoff", url, lastError);
                  warnedError = lastError;
                } else {
                  LOG.debug(
                      "attempt {} to connect to {} failed: {}", failedAttempts, url, lastError);
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
    if (everConnected) {
      reconnects.incrementAndGet();
    }
    LOG.info(
        "{} to {}{}{}",
        everConnected ? "reconnected" : "connected",
        url,
        via,
        failedAttempts > 0 ? " after " + failedAttempts + " failed attempts" : "");
    everConnected = true;
    failedAttempts = 0;
    lastError = null;
    socket = ws;
    Keepalive liveness =
        new Keepalive(
            vertx,
            ws,
            keepaliveMillis,
            writer::datagramsWritten,
            () -> {
              lastError = "no answer to keepalive for " + 2 * keepaliveMillis + " ms";
              LOG.warn("connection to {} is dead: {}; reconnecting", url, lastError);
              lost(ws, sink);
              ws.close(CloseCodes.GOING_AWAY, "keepalive timeout");
            });
    keepalive = liveness;
    Channel channel = VertxChannels.of(ws);
    EventLoop loop = channel.eventLoop(); // the context's: Vert.x connects on the caller's loop
    PeerConnection peer =
        new PeerConnection(ws, loop, writer, null, session, null, violations, CLIENT_SESSION);
    ws.binaryMessageHandler(
        message -> {
          liveness.heard();
          sink.deliver(message.getByteBuf(), peer);
        });
    ws.exceptionHandler(error -> LOG.debug("connection to {}: {}", url, error.toString()));
    CloseWitness closing = CloseWitness.install(channel);
    ws.closeHandler(
        ignored -> {
          if (socket == ws) {
            String how = closing.describe("client", "server");
            if (closing.closedHere()) {
              LOG.info("connection to {} {}; reconnecting", url, how);
            } else {
              LOG.warn("connection to {} {}; reconnecting", url, how);
            }
            lastError = how;
            lost(ws, sink);
          }
        });
    writer.attach(ws, loop, reopenFrames.apply(peer.version()));
  }

  /** Stops using {@code ws} and starts reconnecting; queued frames wait for the next connection. */
  private void lost(WebSocket ws, FeedSink sink) {
    if (socket != ws) {
      return;
    }
    downSince = Instant.now();
    socket = null;
    keepalive.stop();
    writer.detach();
    // Written but not confirmed: in doubt until the server says whether it resumed the session.
    inDoubt = writer.datagramsWritten() - keepalive.confirmed();
    if (open) {
      retry(sink);
    }
  }

  /**
   * The server started a new session after a reconnect: what was in doubt when the last connection
   * broke either arrived before the server lost it or never did; it is counted as unconfirmed.
   * (After a resume the server counts exactly what was lost, from sequence numbers.)
   */
  public void serverStartedOver() {
    counters.countUnconfirmed(inDoubt);
    inDoubt = 0;
  }

  /** Connections made after the first one: each follows a lost connection or a request. */
  public long reconnects() {
    return reconnects.get();
  }

  /** Attempts to connect that failed for {@code cause}. */
  public long connectFailures(ConnectFailure cause) {
    return connectFailures.get(cause.ordinal());
  }

  /** The proxy this client connects through; null when it connects directly. */
  public HttpProxy proxy() {
    return proxy;
  }

  /**
   * Drops the current connection and makes a new one at once (an operator's request); the session
   * resumes, so nothing queued is lost.
   */
  public void reconnect() {
    Context opened = context;
    if (opened == null) {
      return; // not open yet: nothing to drop
    }
    opened.runOnContext(
        ignored -> {
          WebSocket current = socket;
          if (current != null) {
            LOG.info("reconnecting to {} as requested", url);
            current.close(CloseCodes.GOING_AWAY, "reconnect requested by the operator");
          }
        });
  }

  /** Schedules the next attempt, later the more attempts failed since the last success. */
  private void retry(FeedSink sink) {
    vertx.setTimer(backoff.delayMillis(failedAttempts), ignored -> connect(sink));
  }

  @Override
  public void close() {
    long deadline = System.nanoTime() + drainTimeout.toNanos();
    if (writer.depth() > 0) {
      int queued = writer.depth();
      int left = FrameWriter.awaitEmpty(List.of(writer), drainTimeout);
      LOG.info(
          "{} of {} queued frames sent before closing{}",
          queued - left,
          queued,
          left > 0 ? "; the drain timeout of " + drainTimeout.toMillis() + " ms ran out" : "");
    }
    open = false;
    CompletableFuture<Void> closed = new CompletableFuture<>();
    Context opened = context;
    if (opened == null) {
      closed.complete(null); // not open (yet): no connection to close
    } else {
      opened.runOnContext(
          ignored -> {
            WebSocket current = socket;
            socket = null;
            if (current != null && !current.isClosed()) {
              keepalive.stop();
              current.closeHandler(done -> closed.complete(null));
              current.close(
                  CloseCodes.NORMAL, "client shutting down"); // the server may end the session
            } else {
              closed.complete(null);
            }
          });
    }
    if (!Context.isOnEventLoopThread()) {
      // Until the server has answered the close: it then has read every frame sent before it, and
      // knows the client left, also when it stops right after in the same process (sudp run).
      // Frames written but not read yet are lost if the connection ends first (this end's close
      // resets it while replies wait unread), so a drain waits for the answer as long as the drain
      // timeout allows: a server busy reading a backlog answers late.
      long wait =
          Math.max(
              CLOSE_ANSWER_TIMEOUT_MS, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
      try {
        closed.get(wait, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        LOG.warn(
            "the server did not answer the close within {} ms: frames it had not read yet may be"
                + " lost",
            wait);
      } catch (ExecutionException e) {
        // closed anyway
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Future<String> deployed = deployment;
    if (deployed != null) {
      deployed.onSuccess(vertx::undeploy); // which closes the WebSocket client made on it
    }
    writer.detach();
    writer.discard(DropCause.SHUTDOWN);
  }
}
