package io.sudp.management;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sudp.ops.RateLimitedLog;
import io.sudp.process.LogSetup;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.HostAndPort;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.camel.health.HealthCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management port: {@code /metrics} for Prometheus, {@code /health/live} and {@code
 * /health/ready} for orchestrators (Camel's health checks as JSON; ready means the tunnel can carry
 * traffic: a client connected to its server, every readiness check UP), {@code /status} with the
 * one-line status and {@code /status.json} with everything the {@code status} command shows, {@code
 * POST /debug/on|off} for the debug switch, and {@code /jolokia} for Hawtio. Bound to loopback
 * unless configured otherwise, since it tells a lot about the traffic. Every request passes a
 * {@link ManagementGate} first (no web page may drive it), and, where a login is configured, shows
 * credentials (but for the health endpoints, which orchestrators ask).
 */
public final class ManagementServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);
  private static final String TEXT = "text/plain; charset=utf-8";
  private static final String JSON = "application/json";

  /**
   * How long a scrape or a health answer is shared with the requests that follow it: Prometheus and
   * probes ask every few seconds, a flood of requests costs one making a second.
   */
  private static final Duration REUSE = Duration.ofSeconds(1);

  /**
   * Connections open at once: Prometheus, probes, Hawtio and a few {@code sudp status} need a
   * handful; each costs a file descriptor the tunnels share.
   */
  static final int MAX_CONNECTIONS = 64;

  /** What a request is answered with, made off the event loop. */
  private record Answer(int status, String contentType, String body) {}

  private final Vertx vertx;
  private final HttpServer server;
  private final PrometheusMeterRegistry registry;
  private final ManagedProcess process;
  private final JolokiaEndpoint jolokia;
  private final ManagementGate gate;
  private final ManagementLogin login;
  private final RateLimitedLog refusals = new RateLimitedLog(LOG);
  private final SharedAnswer<Answer> metrics;
  private final SharedAnswer<Answer> liveness;
  private final SharedAnswer<Answer> readiness;
  private final SharedAnswer<Answer> statusLine;
  private final SharedAnswer<Answer> statusJson;

  /**
   * @param jolokia {@code local}, {@code remote} or {@code off}: see ManagementConfig
   * @param changeableDomains JMX domains whose operations Jolokia may run
   * @param login checks credentials; null where none are asked
   */
  public ManagementServer(
      Vertx vertx,
      String host,
      int port,
      PrometheusMeterRegistry registry,
      ManagedProcess process,
      String jolokia,
      Set<String> changeableDomains,
      ManagementGate gate,
      ManagementLogin login)
      throws Exception {
    this.vertx = vertx;
    this.registry = registry;
    this.process = process;
    this.gate = gate;
    this.login = login;
    this.metrics =
        new SharedAnswer<>(
            vertx,
            REUSE,
            () -> new Answer(200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
    this.liveness = new SharedAnswer<>(vertx, REUSE, () -> health(HealthCheck.Kind.LIVENESS, true));
    this.readiness =
        new SharedAnswer<>(vertx, REUSE, () -> health(HealthCheck.Kind.READINESS, process.ready()));
    // shared only while being made: `sudp status` right after a change shows it
    this.statusLine =
        new SharedAnswer<>(
            vertx, Duration.ZERO, () -> new Answer(200, TEXT, process.status() + "\n"));
    this.statusJson =
        new SharedAnswer<>(
            vertx,
            Duration.ZERO,
            () -> new Answer(200, JSON, process.statusJson().encodePrettily() + "\n"));
    this.jolokia =
        jolokia.equals("off")
            ? null
            : new JolokiaEndpoint(vertx, jolokia.equals("remote"), changeableDomains);
    try {
      server =
          vertx
              // no HTTP/2 over plain TCP (h2c): Vert.x would set a connection up only once its
              // first bytes showed they are not HTTP/2's, and one sending nothing would go
              // uncounted
              .createHttpServer(
                  new HttpServerOptions()
                      .setHost(host)
                      .setPort(port)
                      .setHttp2ClearTextEnabled(false))
              .connectionHandler(new ManagementConnections(MAX_CONNECTIONS, registry)::opened)
              .requestHandler(this::handle)
              .listen()
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      closeJolokia();
      throw e;
    }
    LOG.info(
        "management on http://{}:{} (/metrics, /health/live, /health/ready, /status{})",
        host,
        server.actualPort(),
        this.jolokia == null ? "" : ", /jolokia");
  }

  /**
   * Takes each request in a turn of the loop of its own. Vert.x hands a connection's next pipelined
   * request to the handler from within the previous one's answer: answered there and then, a few
   * hundred requests in one write went one inside the other and overflowed the loop's stack, which
   * the tunnels share.
   */
  private void handle(HttpServerRequest request) {
    request.pause();
    Vertx.currentContext()
        .runOnContext(
            ignored -> {
              request.resume();
              dispatch(request);
            });
  }

  private void dispatch(HttpServerRequest request) {
    HostAndPort authority = request.authority(); // the Host header
    String refusal =
        gate.refusal(
            authority == null ? null : authority.host(), request.getHeader(HttpHeaders.ORIGIN));
    if (refusal != null) {
      refusals.warn("management: {}: refused: {}", request.remoteAddress(), refusal);
      request.response().setStatusCode(403).end(refusal + "\n");
      return;
    }
    if (login == null || request.path().startsWith("/health/")) {
      serve(request);
      return;
    }
    request.pause();
    login
        .check(request.getHeader(HttpHeaders.AUTHORIZATION), request.remoteAddress().hostAddress())
        .onComplete(
            checked -> {
              // refused too: a body it sent is then dropped, not left to stop the connection's
              // reads
              request.resume();
              if (checked.succeeded()) {
                serve(request);
              } else {
                request.response().putHeader("WWW-Authenticate", "Basic realm=\"SUDP management\"");
                answerIfOpen(request, 401, "");
              }
            });
  }

  /**
   * Serves one request. What a client sends cannot make it go unanswered: a request that cannot be
   * decoded (a malformed percent escape in the path or query) is a 400, anything else that fails a
   * 500, each logged at a bounded rate without the request.
   */
  private void serve(HttpServerRequest request) {
    try {
      route(request);
    } catch (IllegalArgumentException malformed) {
      refusals.warn("management: {}: malformed request refused", request.remoteAddress());
      answerIfOpen(request, 400, "malformed request (a percent escape?)\n");
    } catch (RuntimeException failed) {
      refusals.warn(
          "management: {}: request failed: {}",
          request.remoteAddress(),
          failed.getClass().getName());
      answerIfOpen(request, 500, "request failed\n");
    }
  }

  private static void answerIfOpen(HttpServerRequest request, int status, String body) {
    answerIfOpen(request, status, null, body);
  }

  /** Answers unless the answer began already or the client went away; no type: none said. */
  private static void answerIfOpen(
      HttpServerRequest request, int status, String contentType, String body) {
    HttpServerResponse response = request.response();
    if (response.ended() || response.headWritten() || response.closed()) {
      return;
    }
    if (contentType != null) {
      response.putHeader("Content-Type", contentType);
    }
    response.setStatusCode(status).end(body);
  }

  private void route(HttpServerRequest request) {
    String path = request.path();
    if (jolokia != null
        && (path.equals(JolokiaEndpoint.PATH) || path.startsWith(JolokiaEndpoint.PATH + "/"))) {
      jolokia.handle(request);
      return;
    }
    switch (path) {
      case "/metrics" -> answer(request, metrics);
      case "/health/live" -> answer(request, liveness);
      case "/health/ready" -> answer(request, readiness);
      case "/status" -> answer(request, statusLine);
      case "/status.json" -> answer(request, statusJson);
      case "/debug/on", "/debug/off" -> {
        if (request.method() != HttpMethod.POST) {
          request.response().setStatusCode(405).end("POST to switch\n");
          return;
        }
        LogSetup.setDebug(path.endsWith("/on"));
        LOG.info("debug logging switched {}", LogSetup.isDebug() ? "on" : "off");
        request.response().end("debug " + (LogSetup.isDebug() ? "on" : "off") + "\n");
      }
      default -> request.response().setStatusCode(404).end();
    }
  }

  /**
   * Camel's checks of {@code kind} (SUDP's {@code sudp-tunnel} among the readiness ones), made off
   * the event loop: a check may look at a consumer that blocks.
   */
  private Answer health(HealthCheck.Kind kind, boolean processUp) {
    HealthReport report = HealthReport.of(processUp, process.health(kind));
    return new Answer(report.statusCode(), JSON, report.json().encodePrettily() + "\n");
  }

  /** Sends {@code shared}'s answer once it is made ({@link SharedAnswer}: off the event loop). */
  private void answer(HttpServerRequest request, SharedAnswer<Answer> shared) {
    shared
        .get()
        .onComplete(
            result -> {
              if (result.failed()) {
                refusals.warn(
                    "management: {}: {} failed: {}",
                    request.remoteAddress(),
                    request.path(),
                    result.cause().getClass().getName());
                answerIfOpen(request, 500, "request failed\n");
                return;
              }
              Answer answer = result.result();
              answerIfOpen(request, answer.status(), answer.contentType(), answer.body());
            });
  }

  public int port() {
    return server.actualPort();
  }

  @Override
  public void close() {
    server
        .close()
        .toCompletionStage()
        .toCompletableFuture()
        .orTimeout(10, TimeUnit.SECONDS)
        .exceptionally(error -> null)
        .join();
    closeJolokia();
  }

  private void closeJolokia() {
    if (jolokia != null) {
      jolokia.close();
    }
  }
}
