package io.sudp.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management port: {@code /metrics} for Prometheus, {@code /health/live} and
 * {@code /health/ready} for orchestrators (ready means the tunnel can carry traffic: a client
 * connected to its server), {@code /status} with the one-line status and {@code /status.json}
 * with everything the {@code status} command shows. Bound to loopback unless
 * configured otherwise, since it tells a lot about the traffic.
 */
public final class ManagementServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);

  private final HttpServer server;

  public ManagementServer(Vertx vertx, String host, int port, PrometheusMeterRegistry registry,
      BooleanSupplier ready, Supplier<String> status, Supplier<String> statusJson)
      throws Exception {
    server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
        .requestHandler(request -> {
          switch (request.path()) {
            case "/metrics" -> request.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(registry.scrape());
            case "/health/live" -> request.response().end("UP\n");
            case "/health/ready" -> {
              boolean up = ready.getAsBoolean();
              request.response().setStatusCode(up ? 200 : 503).end(up ? "UP\n" : "DOWN\n");
            }
            case "/status" -> request.response().end(status.get() + "\n");
            case "/status.json" -> request.response()
                .putHeader("Content-Type", "application/json").end(statusJson.get() + "\n");
            default -> request.response().setStatusCode(404).end();
          }
        })
        .listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    LOG.info("management on http://{}:{} (/metrics, /health/live, /health/ready, /status)", host,
        server.actualPort());
  }

  public int port() {
    return server.actualPort();
  }

  @Override
  public void close() {
    server.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS)
        .exceptionally(error -> null).join();
  }
}
