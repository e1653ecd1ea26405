package io.sudp.transport;

import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.sudp.ops.Failures;
import io.sudp.ops.RateLimitedLog;
import io.sudp.ops.Refusal;
import io.sudp.ops.TrafficCounters;
import io.sudp.protocol.CloseCodes;
import io.sudp.protocol.Frame;
import io.sudp.protocol.Limits;
import io.sudp.protocol.ProtocolVersion;
import io.sudp.security.Authenticator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's WebSocket listener. It upgrades the requests its {@link UpgradeGate} lets through
 * (one path, the {@code sudp.v1} subprotocol, within the limits, authenticated) and hands each
 * binary message, with its connection, to the route. Messages of one connection are handled in
 * order on that connection's event loop. Each connection carries a client session, which is the
 * server's: connections are brought to it, and their closes told to it, through its {@link
 * SessionPort}.
 */
public final class WsServer implements RouteFeed, FrameSender {
  private static final Logger LOG = LoggerFactory.getLogger(WsServer.class);

  /** Lines per minute of each kind: a flood of connections writes at most this many. */
  private static final int CONNECTION_LINES = 10;

  /** Numbers naming the random ports of servers in this process (see {@link #open}). */
  private static final AtomicInteger RANDOM_PORT_GROUPS = new AtomicInteger();

  private final Vertx vertx;
  private final int listeners;
  private final String host;
  private final int port;
  private final String path;
  private final long keepaliveMillis;
  private final TrafficCounters counters;
  private final Map<Long, PeerConnection> connections = new ConcurrentHashMap<>();
  private final SessionPort sessions;
  private final Violations violations;
  private final UpgradeGate gate;
  private KeyCertOptions certificate;
  private TrustOptions clientCa;
  private QueueBudget fragments = QueueBudget.UNBOUNDED;
  private Duration drainTimeout = Duration.ZERO;
  private final RateLimitedLog refusals = new RateLimitedLog(LOG);

  /** A line per connection and per disconnection, unless a flood of them would fill the log. */
  private final RateLimitedLog connectionLines =
      new RateLimitedLog(LOG, CONNECTION_LINES, Duration.ofMinutes(1));

  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
  private final List<String> listenerDeployments = new CopyOnWriteArrayList<>();

  /**
   * @param listeners how many event loops accept connections (one listener each, sharing the port)
   * @param sessions the client sessions the connections carry
   */
  public WsServer(
      Vertx vertx,
      int listeners,
      String host,
      int port,
      String path,
      Duration keepalive,
      SessionPort sessions,
      TrafficCounters counters) {
    this.vertx = vertx;
    this.listeners = listeners;
    this.host = host;
    this.port = port;
    this.path = path;
    this.keepaliveMillis = keepalive.toMillis();
    this.sessions = sessions;
    this.violations = new Violations(counters);
    this.counters = counters;
    this.gate = new UpgradeGate(path, sessions, connections::size, counters);
  }

  /**
   * Serves {@code wss://} with this certificate (TLS 1.2 and 1.3 only); with {@code clientCa}, also
   * requires a client certificate signed by it (mutual TLS). Call before the route starts.
   */
  public void useTls(KeyCertOptions certificate, TrustOptions clientCa) {
    this.certificate = certificate;
    this.clientCa = clientCa;
  }

  /**
   * Bounds what connections may hold: at most {@code max} connections (as many as the server has
   * sessions), at most {@code maxHandshakes} TCP connections that have not upgraded yet, each for
   * at most {@code handshakeTimeout}; their unfinished fragmented messages within {@code
   * fragments}. Call before the route starts.
   */
  public void limitConnections(
      int max, int maxHandshakes, Duration handshakeTimeout, QueueBudget fragments) {
    this.fragments = fragments;
    gate.limit(max, maxHandshakes, handshakeTimeout);
  }

  /**
   * On {@link #close}, gives frames still queued for the clients up to {@code timeout} to go out
   * before the connections close. Call before the route starts.
   */
  public void drainOnClose(Duration timeout) {
    this.drainTimeout = timeout;
  }

  /**
   * Takes the clients' addresses, for per-address limits, logs and the connections' list, from what
   * {@code rule} trusts. Call before the route starts.
   */
  public void identifyClients(ClientAddressRule rule) {
    gate.identifyClients(rule);
  }

  /** Requires every upgrade to authenticate; without one, anyone who reaches the port may. */
  public void requireAuthentication(Authenticator authenticator) {
    gate.requireAuthentication(authenticator);
  }

  /** Frames waiting to be written, over all connections. */
  public int queueDepth() {
    int depth = 0;
    for (PeerConnection peer : connections.values()) {
      depth += peer.writer().depth();
    }
    return depth;
  }

  /** The connections open now. */
  public List<PeerConnection> connections() {
    return List.copyOf(connections.values());
  }

  /**
   * Closes one connection (close code 1008, "disconnected by the operator"); its client may
   * reconnect and resume its session. False if there is no such connection.
   */
  public boolean disconnect(long connectionId) {
    PeerConnection peer = connections.get(connectionId);
    if (peer == null) {
      return false;
    }
    peer.close(CloseCodes.POLICY_VIOLATION, "disconnected by the operator");
    return true;
  }

  /** The port actually bound (differs from the configured one when that was 0). */
  public int boundPort() {
    return servers.isEmpty() ? -1 : servers.get(0).actualPort();
  }

  public int connectionCount() {
    return connections.size();
  }

  /** TCP connections that have not completed their WebSocket upgrade yet. */
  public int handshakeCount() {
    return gate.pending();
  }

  @Override
  public void open(FeedSink sink) throws Exception {
    gate.reset(certificate != null);
    long handshakeTimeoutMillis = gate.handshakeTimeoutMillis();
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(host)
            .setPort(port)
            .setTcpNoDelay(true)
            // HTTP/1.1 only: the h2c detector would wait for bytes before a connection even exists,
            // and a connection that sends none must still meet the handshake timeout.
            .setHttp2ClearTextEnabled(false)
            .setWebSocketClosingTimeout(2)
            .setSslHandshakeTimeout(handshakeTimeoutMillis)
            .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS)
            .setMaxWebSocketFrameSize(Limits.MAX_MESSAGE)
            .setMaxWebSocketMessageSize(Limits.MAX_MESSAGE)
            .setWebSocketSubProtocols(ProtocolVersion.OFFERED)
            .setPerMessageWebSocketCompressionSupported(false)
            .setPerFrameWebSocketCompressionSupported(false);
    if (certificate != null) {
      options
          .setSsl(true)
          .setKeyCertOptions(certificate)
          .setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"));
      if (clientCa != null) {
        options.setTrustOptions(clientCa).setClientAuth(ClientAuth.REQUIRED);
      }
    }
    int configuredPort = options.getPort();
    if (configuredPort == 0) {
      // Vert.x shares a port among the servers given one port number; for a port of its own
      // choosing, that number is negative: port 0 would give each listener a port of its own.
      options.setPort(-RANDOM_PORT_GROUPS.incrementAndGet());
    }
    for (int i = 0; i < listeners; i++) {
      servers.add(listen(options, configuredPort, sink));
    }
    gate.guardListening(servers.get(0));
    LOG.info(
        "WebSocket server listening on {}://{}:{}{}{}",
        certificate != null ? "wss" : "ws",
        host,
        boundPort(),
        path,
        clientCa != null ? " (client certificates required)" : "");
  }

  /**
   * Binds one listener on an event loop context of its own, so connections spread over the loops;
   * it closes when its deployment is undeployed.
   */
  private HttpServer listen(HttpServerOptions options, int port, FeedSink sink) throws Exception {
    CompletableFuture<HttpServer> bound = new CompletableFuture<>();
    Future<String> deployed =
        EventLoopVerticle.deploy(
            vertx,
            started ->
                gate.guard(
                        vertx.createHttpServer(options),
                        (request, admission) -> upgrade(request, admission, sink))
                    .listen()
                    .onSuccess(bound::complete)
                    .<Void>mapEmpty()
                    .onComplete(started));
    try {
      listenerDeployments.add(
          deployed.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
      return bound.join();
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot listen on " + host + ":" + port + ": " + Failures.describe(e), e.getCause());
    }
  }

  /** Makes an admitted request a WebSocket connection of its session. */
  private void upgrade(HttpServerRequest request, SessionPort.Admission admission, FeedSink sink) {
    HttpConnection connection = request.connection();
    readOneChunkPerTurn(connection);
    request
        .toWebSocket()
        .onSuccess(
            socket -> {
              gate.upgraded(connection);
              accept(socket, admission, connection, sink);
            })
        .onFailure(error -> gate.upgradeFailed(connection, admission, error));
  }

  /**
   * A connection's event loop also serves the UDP sockets of its flows. Netty reads up to 16 chunks
   * of 64 KiB from a busy TCP connection per turn: about 13,000 small frames, sent on as datagrams,
   * before the flows' sockets are read again, so under overload their replies overflow the sockets'
   * buffers and are lost after all the work of carrying their requests. One chunk per turn lets
   * replies in between.
   */
  private static void readOneChunkPerTurn(HttpConnection connection) {
    VertxChannels.of(connection)
        .config()
        .setRecvByteBufAllocator(new AdaptiveRecvByteBufAllocator().maxMessagesPerRead(1));
  }

  private void accept(
      ServerWebSocket socket,
      SessionPort.Admission admission,
      HttpConnection connection,
      FeedSink sink) {
    Channel channel = VertxChannels.of(connection);
    // The channel's loop runs the connection's context: that of the listener that took it.
    PeerConnection peer =
        sessions.attach(
            admission,
            new Upgraded(socket, channel.eventLoop(), ClientAddress.of(channel), violations));
    if (peer == null) {
      counters.refused(Refusal.SERVER_FULL);
      socket.close(CloseCodes.TRY_AGAIN_LATER, "the server has its maximum of sessions");
      return;
    }
    Keepalive keepalive =
        new Keepalive(
            vertx,
            socket,
            keepaliveMillis,
            () -> 0,
            () -> {
              refusals.warn(
                  "{}: no answer to keepalive for {} ms; closing", peer, 2 * keepaliveMillis);
              peer.close(CloseCodes.GOING_AWAY, "keepalive timeout");
            });
    socket.binaryMessageHandler(
        message -> {
          keepalive.heard();
          if (!peer.isClosing()) {
            sink.deliver(message.getByteBuf(), peer);
          }
        });
    socket.exceptionHandler(error -> LOG.debug("{}: {}", peer, error.toString()));
    CloseWitness closing = CloseWitness.install(channel);
    socket.closeHandler(
        ignored -> {
          keepalive.stop();
          connections.remove(peer.id());
          sessions.detach(peer, socket.closeStatusCode());
          connectionLines.info(
              "client disconnected: {}: {}", peer, closing.describe("server", "client"));
        });
    WebSocketGuard.install(channel, Limits.MAX_MESSAGE, fragments, peer);
    connections.put(peer.id(), peer); // once its close handler is sure to take it out again
    connectionLines.info("client connected: {}", peer);
  }

  @Override
  public boolean send(Frame frame, PeerConnection peer) {
    return peer.send(frame);
  }

  /**
   * Drains and closes: new upgrades are refused at once (503, so that a load balancer sends the
   * reconnecting clients to another server), queued frames get the drain timeout, then the
   * connections close with 1001 and the listeners stop.
   */
  @Override
  public void close() {
    gate.shutDown();
    List<FrameWriter> queues = connections.values().stream().map(PeerConnection::writer).toList();
    int left = FrameWriter.awaitEmpty(queues, drainTimeout);
    if (left > 0) {
      LOG.warn(
          "{} frames still queued for clients after the drain timeout of {} ms; dropped",
          left,
          drainTimeout.toMillis());
    }
    for (PeerConnection peer : connections.values()) {
      peer.close(CloseCodes.GOING_AWAY, "server shutting down");
    }
    sessions.endAll();
    for (String listener : listenerDeployments) {
      vertx
          .undeploy(listener) // which closes its server
          .toCompletionStage()
          .toCompletableFuture()
          .orTimeout(10, TimeUnit.SECONDS)
          .exceptionally(error -> null)
          .join();
    }
    listenerDeployments.clear();
    servers.clear();
  }
}
