package io.sudp.transport;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.sudp.ops.RateLimitedLog;
import io.sudp.ops.Refusal;
import io.sudp.ops.TrafficCounters;
import io.sudp.protocol.ProtocolVersion;
import io.sudp.security.Authenticator;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a TCP connection to the server must pass before it becomes a WebSocket: the bound on
 * connections not upgraded yet, the TLS handshake, room for one more session, the path, the {@code
 * sudp.v1} subprotocol, the password and the session's admission. A request that fails answers its
 * HTTP status, is counted with its {@link Refusal} and has its connection closed; one that passes
 * goes on to the server with the session it was admitted to.
 */
final class UpgradeGate {
  /** The server's logger: these lines are the server's, as operators know them. */
  private static final Logger LOG = LoggerFactory.getLogger(WsServer.class);

  /** What the server does with a request the gate let through: upgrade it. */
  interface Admitted {
    void upgrade(HttpServerRequest request, SessionPort.Admission admission);
  }

  private final String path;
  private final SessionPort sessions;
  private final IntSupplier openConnections;
  private final TrafficCounters counters;
  private final RateLimitedLog authFailures = new RateLimitedLog(LOG);
  private final RateLimitedLog refusals = new RateLimitedLog(LOG);
  private volatile Authenticator authenticator;
  private int maxConnections = Integer.MAX_VALUE;
  private int maxHandshakes = Integer.MAX_VALUE;
  private long handshakeTimeoutMillis = 10_000;
  private boolean tls;
  private ClientAddresses clients;
  private volatile AcceptGate handshakes;
  private volatile boolean shuttingDown;

  /**
   * @param openConnections the connections open now, upgraded and not closed
   */
  UpgradeGate(
      String path, SessionPort sessions, IntSupplier openConnections, TrafficCounters counters) {
    this.path = path;
    this.sessions = sessions;
    this.openConnections = openConnections;
    this.counters = counters;
    this.clients = new ClientAddresses(ClientAddressRule.PEER, counters);
    this.handshakes =
        new AcceptGate(
            Integer.MAX_VALUE, handshakeTimeoutMillis, false, ClientAddressRule.PEER, counters);
  }

  /**
   * At most {@code max} connections (unless a session waits to be resumed, which may make room); at
   * most {@code maxHandshakes} TCP connections not upgraded yet, each for at most {@code
   * handshakeTimeout}. Call before {@link #reset}.
   */
  void limit(int max, int maxHandshakes, Duration handshakeTimeout) {
    this.maxConnections = max;
    this.maxHandshakes = maxHandshakes;
    this.handshakeTimeoutMillis = handshakeTimeout.toMillis();
  }

  long handshakeTimeoutMillis() {
    return handshakeTimeoutMillis;
  }

  /** Names each connection's client by {@code rule}. Call before {@link #reset}. */
  void identifyClients(ClientAddressRule rule) {
    this.clients = new ClientAddresses(rule, counters);
  }

  /** Requires every upgrade to authenticate; without one, anyone who reaches the port may. */
  void requireAuthentication(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  /**
   * Starts over with no connection waiting and requests welcome again, for a server that is about
   * to listen; {@code tls}: whether its connections begin with a TLS handshake.
   */
  void reset(boolean tls) {
    this.tls = tls;
    this.shuttingDown = false;
    this.handshakes =
        new AcceptGate(maxHandshakes, handshakeTimeoutMillis, tls, clients.rule(), counters);
  }

  /**
   * Puts the gate in front of {@code server}'s connections and requests; a request it lets through
   * goes to {@code admitted}. Call before the server listens.
   */
  HttpServer guard(HttpServer server, Admitted admitted) {
    return server
        .connectionHandler(connection -> handshakes.secured(VertxChannels.of(connection)))
        .exceptionHandler(this::connectionFailed)
        .requestHandler(request -> check(request, admitted))
        .invalidRequestHandler(this::invalid);
  }

  /** Puts the bound on connections not upgraded yet in front of {@code server}'s socket. */
  void guardListening(HttpServer server) {
    handshakes.guard(VertxChannels.listening(server));
  }

  /**
   * Refuses every request from now on with 503 ({@link Refusal#SHUTTING_DOWN}): the server drains
   * and closes its connections, and their clients must reconnect elsewhere, not here.
   */
  void shutDown() {
    shuttingDown = true;
  }

  /** TCP connections that have not completed their WebSocket upgrade yet. */
  int pending() {
    return handshakes.pending();
  }

  /** The connection became a WebSocket: it no longer waits, nor can it time out. */
  void upgraded(HttpConnection connection) {
    handshakes.finished(VertxChannels.of(connection));
  }

  /** Vert.x refused the upgrade itself (and answered it: 400, 405, 426): counted, closed. */
  void upgradeFailed(HttpConnection connection, SessionPort.Admission admission, Throwable error) {
    sessions.cancel(admission);
    handshakes.finished(VertxChannels.of(connection));
    counters.refused(Refusal.BAD_UPGRADE);
    LOG.debug("upgrade failed: {}", error.toString());
    connection.close();
  }

  /**
   * Errors of connections that never reached HTTP: on a TLS server, a failed or abandoned handshake
   * (a client that does not trust the certificate usually just closes the connection).
   */
  private void connectionFailed(Throwable error) {
    String tlsFailure = TlsFailure.describe(error, tls);
    if (tlsFailure != null) { // counted by the accept gate as the connection closes
      refusals.warn("TLS handshake failed: {}", tlsFailure);
    } else {
      LOG.debug("connection failed: {}", error.getClass().getName());
    }
  }

  private void check(HttpServerRequest request, Admitted admitted) {
    if (!handshakes.isWaiting(VertxChannels.of(request.connection()))) {
      return; // closed as it arrived, and counted then: for waiting too long, or to make room
    }
    if (shuttingDown) {
      refuse(request, 503, Refusal.SHUTTING_DOWN);
      return;
    }
    ClientAddress client = clients.of(request);
    if (openConnections.getAsInt() >= maxConnections && sessions.waitingCount() == 0) {
      refuse(request, 503, Refusal.SERVER_FULL); // before a password check costs anything
      return;
    }
    if (!path.equals(request.path())) {
      refuse(request, 404, Refusal.BAD_UPGRADE);
      return;
    }
    ProtocolVersion version =
        ProtocolVersion.highestOffered(request.getHeader(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL));
    if (version == null) {
      refuse(request, 400, Refusal.BAD_UPGRADE);
      return;
    }
    // The handshake answers the first of the client's list the server speaks: leaving only the
    // chosen one makes it the highest, whatever the client's order.
    request.headers().set(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL, version.subprotocol());
    Authenticator auth = authenticator;
    if (auth == null) {
      admit(request, null, admitted);
      return;
    }
    request.pause();
    handshakes.checking(VertxChannels.of(request.connection()));
    auth.authenticate(request.getHeader(HttpHeaderNames.AUTHORIZATION), client.key())
        .onSuccess(user -> admit(request, user, admitted))
        .onFailure(
            refused -> {
              Authenticator.Refusal why = Authenticator.Refusal.of(refused);
              authFailures.warn(
                  "{}: authentication failed{}",
                  client,
                  switch (why) {
                    case TOO_MANY_FAILURES -> " (too many attempts: refused without checking)";
                    case BUSY -> " (too many passwords waiting to be checked: refused)";
                    case BAD_CREDENTIALS -> "";
                  });
              request
                  .response()
                  .putHeader(HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"SUDP\"");
              switch (why) {
                case TOO_MANY_FAILURES -> refuse(request, 429, Refusal.TOO_MANY_FAILURES);
                case BUSY -> refuse(request, 503, Refusal.AUTH_BUSY);
                case BAD_CREDENTIALS -> refuse(request, 401, Refusal.AUTHENTICATION);
              }
            });
  }

  /** A session for the request's client, new or resumed, if the limits leave room for it. */
  private void admit(HttpServerRequest request, String user, Admitted admitted) {
    if (!handshakes.isWaiting(VertxChannels.of(request.connection()))) {
      return; // it timed out while its password was checked
    }
    if (shuttingDown) { // began while its password was checked
      refuse(request, 503, Refusal.SHUTTING_DOWN);
      return;
    }
    SessionPort.Admission admission =
        sessions.admit(SessionHeader.idFrom(request.getHeader(SessionHeader.NAME)), user);
    if (admission.refusal() != null) {
      refuse(request, admission.refusal() == Refusal.SERVER_FULL ? 503 : 429, admission.refusal());
      return;
    }
    admitted.upgrade(request, admission);
  }

  /** A request HTTP cannot parse (a line or headers too long, ...): answered, closed, counted. */
  private void invalid(HttpServerRequest request) {
    handshakes.finished(VertxChannels.of(request.connection()));
    counters.refused(Refusal.BAD_UPGRADE);
    HttpServerRequest.DEFAULT_INVALID_REQUEST_HANDLER.handle(request);
  }

  /**
   * Answers {@code status}, counts the refusal and closes the connection: one TCP connection gets
   * one try, so a client cannot keep a refused connection open by sending nothing more.
   */
  private void refuse(HttpServerRequest request, int status, Refusal refusal) {
    handshakes.finished(VertxChannels.of(request.connection()));
    counters.refused(refusal);
    if (refusal == Refusal.SERVER_FULL || refusal == Refusal.USER_CONNECTIONS) {
      refusals.warn(
          "{}: refused ({}): the server or the user has its maximum of sessions",
          ClientAddress.of(VertxChannels.of(request.connection())),
          refusal.label());
    }
    HttpConnection connection = request.connection();
    request.response().setStatusCode(status).end().onComplete(ended -> connection.close());
  }
}
