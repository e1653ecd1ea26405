package io.sudp.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Jolokia on a real management port, its JMX calls held up by an MBean that blocks: calls beyond
 * the bound are refused at once rather than queued, and the health and metrics answers, made on the
 * management port's other worker threads, do not wait behind them.
 */
class JolokiaEndpointTest {
  /** An attribute whose reading waits until the test releases it. */
  public interface BlockingMBean {
    int getValue() throws InterruptedException;
  }

  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicInteger reads = new AtomicInteger();
  private final ObjectName name = new ObjectName("io.sudp:type=JolokiaEndpointTestBlocking");
  private final HttpClient http = HttpClient.newHttpClient();
  private Vertx vertx;
  private ManagementServer server;

  JolokiaEndpointTest() throws Exception {}

  @BeforeEach
  void start() throws Exception {
    ManagementFactory.getPlatformMBeanServer()
        .registerMBean(
            new StandardMBean(
                (BlockingMBean)
                    () -> {
                      reads.incrementAndGet();
                      release.await(60, TimeUnit.SECONDS);
                      return 1;
                    },
                BlockingMBean.class),
            name);
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
    server =
        new ManagementServer(
            vertx,
            "127.0.0.1",
            0,
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            new StubProcess(() -> {}, () -> "status"),
            "local",
            Set.of(),
            new ManagementGate(Set.of(), Set.of()),
            null);
  }

  @AfterEach
  void stop() throws Exception {
    release.countDown();
    server.close();
    vertx.close().toCompletionStage().toCompletableFuture().join();
    ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
  }

  private CompletableFuture<HttpResponse<String>> get(String path) {
    return http.sendAsync(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void callsBeyondTheBoundAreRefusedAtOnceAndProbesDoNotWaitBehindThem() throws Exception {
    int beyond = 4;
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < JolokiaEndpoint.MAX_PENDING + beyond; i++) {
      calls.add(get("/jolokia/read/io.sudp:type=JolokiaEndpointTestBlocking/Value"));
    }
    await().until(() -> calls.stream().filter(CompletableFuture::isDone).count() == beyond);
    assertThat(calls.stream().filter(CompletableFuture::isDone))
        .allSatisfy(refused -> assertThat(refused.get().statusCode()).isEqualTo(503));
    await().until(() -> reads.get() == 1);
    assertThat(reads).as("one call running, the rest waiting for its thread").hasValue(1);

    assertThat(get("/health/live").get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(get("/metrics").get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);

    release.countDown();
    for (CompletableFuture<HttpResponse<String>> call : calls) {
      HttpResponse<String> response = call.get(30, TimeUnit.SECONDS);
      if (response.statusCode() != 503) {
        assertThat(new JsonObject(response.body()).getInteger("value")).isEqualTo(1);
      }
    }
    assertThat(reads).hasValue(JolokiaEndpoint.MAX_PENDING);
  }

  @Test
  void aBodyBeyondTheBoundIsRefusedWithoutBeingKept() throws Exception {
    HttpRequest post =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/jolokia"))
            .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[2 * JolokiaEndpoint.MAX_BODY]))
            .build();
    try {
      assertThat(http.send(post, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(413);
    } catch (IOException closedWhileSending) {
      // the server closed the connection before the client had sent the rest: refused too
    }
    assertThat(get("/health/live").get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
  }
}
