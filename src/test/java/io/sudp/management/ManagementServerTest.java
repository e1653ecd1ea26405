package io.sudp.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The management server against real HTTP: answers that take long (a scrape, a status) are made off
 * its event loop, which tunnels share, and no more than a few at once; a flood of connections
 * closes its own.
 */
class ManagementServerTest {
  private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)content-length: *(\\d+)");
  private final HttpClient http = HttpClient.newHttpClient();
  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicInteger statusesBeingMade = new AtomicInteger();
  private final AtomicInteger healthChecksRun = new AtomicInteger();
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private Vertx vertx;
  private ManagementServer server;

  /** A process whose status takes until the test releases it. */
  private final ManagedProcess slowStatus =
      new StubProcess(
          healthChecksRun::incrementAndGet,
          () -> {
            statusesBeingMade.incrementAndGet();
            try {
              release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return "status";
          });

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
            registry,
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

  @Test
  void aFloodOfConnectionsClosesItsOwnWhileOtherAddressesKeepTheirs() throws Exception {
    int max = ManagementServer.MAX_CONNECTIONS;
    List<Socket> flood = new ArrayList<>();
    try (Socket kept = connect("127.0.0.1")) {
      assertThat(exchange(kept, "/health/live")).startsWith("HTTP/1.1 200");
      for (int i = 0; i < 3 * max; i++) {
        flood.add(connect("127.0.0.2"));
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> flood.stream().filter(ManagementServerTest::stillOpen).count() < max);

      assertThat(exchange(kept, "/health/live"))
          .as("the oldest connection, of another address, is kept")
          .startsWith("HTTP/1.1 200");
      assertThat(get("/health/live").get(30, TimeUnit.SECONDS).statusCode())
          .as("a new one gets through")
          .isEqualTo(200);
      assertThat(registry.get("sudp.management.connections.closed").counter().count())
          .isGreaterThanOrEqualTo(2 * max + 1);
    } finally {
      for (Socket socket : flood) {
        socket.close();
      }
    }
  }

  @Test
  void aBurstOfPipelinedRequestsIsAnsweredInOrderAndTheLoopCarriesOn() throws Exception {
    int each = 1500;
    try (Socket socket = connect("127.0.0.1")) {
      // the status holds the rest back, so that they are all answered after it, one by one
      socket
          .getOutputStream()
          .write(
              (request("/status")
                      + request("/nowhere").repeat(each)
                      + request("/health/live").repeat(each))
                  .getBytes(StandardCharsets.US_ASCII));
      await().until(() -> statusesBeingMade.get() == 1);
      release.countDown();
      assertThat(response(socket)).startsWith("HTTP/1.1 200");
      for (int i = 0; i < each; i++) {
        assertThat(response(socket)).as("answer %d", i).startsWith("HTTP/1.1 404");
      }
      for (int i = 0; i < each; i++) {
        assertThat(response(socket)).as("answer %d", each + i).startsWith("HTTP/1.1 200");
      }
    }
    assertThat(get("/nowhere").get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(404);
  }

  @Test
  void aBurstOfPipelinedRequestsWithoutCredentialsIsRefusedOneByOne() throws Exception {
    try (ManagementServer guarded =
        new ManagementServer(
            vertx,
            "127.0.0.1",
            0,
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            slowStatus,
            "off",
            Set.of(),
            new ManagementGate(Set.of(), Set.of()),
            (authorization, source) -> Future.failedFuture("no credentials"))) {
      int requests = 2000;
      try (Socket socket = new Socket("127.0.0.1", guarded.port())) {
        socket
            .getOutputStream()
            .write(
                (request("/health/live") + request("/metrics").repeat(requests))
                    .getBytes(StandardCharsets.US_ASCII));
        assertThat(response(socket)).startsWith("HTTP/1.1 200");
        for (int i = 0; i < requests; i++) {
          assertThat(response(socket)).as("answer %d", i).startsWith("HTTP/1.1 401");
        }
      }
    }
  }

  private Socket connect(String from) throws IOException {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(from, 0));
    socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
    return socket;
  }

  /** Whether the server has not closed {@code socket}: a read finds neither data nor its end. */
  private static boolean stillOpen(Socket socket) {
    try {
      socket.setSoTimeout(1);
      return socket.getInputStream().read() != -1;
    } catch (SocketTimeoutException open) {
      return true;
    } catch (IOException reset) {
      return false;
    }
  }

  private static String request(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  }

  /** One keep-alive request on {@code socket}; the response's head and body. */
  private static String exchange(Socket socket, String path) throws IOException {
    socket.getOutputStream().write(request(path).getBytes(StandardCharsets.US_ASCII));
    return response(socket);
  }

  /** The next response on {@code socket}: its head and body. */
  private static String response(Socket socket) throws IOException {
    socket.setSoTimeout(30_000);
    InputStream in = socket.getInputStream();
    StringBuilder head = new StringBuilder();
    while (head.indexOf("\r\n\r\n") < 0) {
      int next = in.read();
      if (next < 0) {
        return head.toString();
      }
      head.append((char) next);
    }
    Matcher length = CONTENT_LENGTH.matcher(head);
    int bodyLength = length.find() ? Integer.parseInt(length.group(1)) : 0;
    return head + new String(in.readNBytes(bodyLength), StandardCharsets.UTF_8);
  }
}
