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
  private final AtomicInteger healthChecksRun = new AtomicInteger();
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
          healthChecksRun.incrementAndGet();
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
    // One event loop and two worker threads, as a client has: what holds the loop holds the
    // tunnels.
    vertx =
        Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
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
  void aSlowAnswerLeavesTheLoopFreeAndIsSharedByTheRequestsThatComeMeanwhile() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      waiting.add(get("/status"));
    }
    await().until(() -> statusesBeingMade.get() == 1);

    assertThat(get("/nowhere").get(30, TimeUnit.SECONDS).statusCode())
        .as("answered on the loop meanwhile")
        .isEqualTo(404);
    HttpResponse<String> live = get("/health/live").get(30, TimeUnit.SECONDS);
    assertThat(live.statusCode()).as("a probe among them is answered").isEqualTo(200);
    assertThat(live.body()).contains("UP");

    release.countDown();
    for (CompletableFuture<HttpResponse<String>> each : waiting) {
      HttpResponse<String> response = each.get(30, TimeUnit.SECONDS);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("status\n");
    }
    assertThat(statusesBeingMade).as("one making for all twenty").hasValueLessThanOrEqualTo(2);
    HttpResponse<String> metrics = get("/metrics").get(30, TimeUnit.SECONDS);
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
  }

  @Test
  void healthAnswersAreSharedWhateverTheRateOfRequests() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> probes = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      probes.add(get(i % 2 == 0 ? "/health/live" : "/health/ready"));
    }
    for (CompletableFuture<HttpResponse<String>> each : probes) {
      assertThat(each.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
    assertThat(healthChecksRun.get())
        .as("fifty probes, a second apart at most: checks run")
        .isLessThan(50);
  }
}
