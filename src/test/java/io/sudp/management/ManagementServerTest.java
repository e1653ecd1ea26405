package io.sudp.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The management server against real HTTP: answers that take long (a scrape, a status) are made off
 * its event loop, which tunnels share, and no more than a few at once.
 */
class ManagementServerTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicInteger statusesBeingMade = new AtomicInteger();
  private Vertx vertx;
  private ManagementServer server;

  /** A process whose status takes until the test releases it. */
  private final ManagedProcess slowStatus =
      new ManagedProcess() {
        @Override
        public boolean ready() {
          return true;
        }

        @Override
        public Collection<HealthCheck.Result> health(HealthCheck.Kind kind) {
          return List.of();
        }

        @Override
        public String status() {
          statusesBeingMade.incrementAndGet();
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return "status";
        }

        @Override
        public JsonObject statusJson() {
          return new JsonObject();
        }
      };

  @BeforeEach
  void start() throws Exception {
    // One event loop, as a client's: whatever holds it holds the tunnels too.
    vertx = Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(1));
    server =
        new ManagementServer(
            vertx,
            "127.0.0.1",
            0,
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            slowStatus,
            "off",
            Set.of(),
            new ManagementGate(Set.of(), Set.of()),
            null);
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.close();
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  private CompletableFuture<HttpResponse<String>> get(String path) {
    return http.sendAsync(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void slowAnswersLeaveTheLoopFreeAndBeyondTheBoundAreRefusedAtOnce() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
    for (int i = 0; i < ManagementServer.MAX_AT_ONCE; i++) {
      slow.add(get("/status"));
    }
    await().until(() -> statusesBeingMade.get() == ManagementServer.MAX_AT_ONCE);

    assertThat(get("/metrics").get(30, TimeUnit.SECONDS).statusCode())
        .as("one more, while the others are being made")
        .isEqualTo(503);
    assertThat(get("/nowhere").get(30, TimeUnit.SECONDS).statusCode())
        .as("answered on the loop meanwhile")
        .isEqualTo(404);

    release.countDown();
    for (CompletableFuture<HttpResponse<String>> each : slow) {
      HttpResponse<String> response = each.get(30, TimeUnit.SECONDS);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("status\n");
    }
    HttpResponse<String> metrics = get("/metrics").get(30, TimeUnit.SECONDS);
    assertThat(metrics.statusCode()).as("the bound is given back").isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(get("/health/ready").get(30, TimeUnit.SECONDS).body()).contains("UP");
  }
}
