package io.sudp.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.ops.Refusal;
import io.sudp.ops.TrafficCounters;
import io.sudp.protocol.ProtocolVersion;
import io.sudp.testing.RawUpgrade;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gate in front of a real Vert.x server, asked by a real client: what it answers each request,
 * what it counts, and which requests reach the server.
 */
class UpgradeGateTest {
  private final SharedVertx vertx = new SharedVertx(1);
  private final TrafficCounters counters = new TrafficCounters();

  /** Sessions that admit every upgrade: what they decide is theirs, not the gate's. */
  private final SessionPort sessions =
      new SessionPort() {
        @Override
        public Admission admit(String id, String user) {
          return () -> null;
        }

        @Override
        public void cancel(Admission admission) {}

        @Override
        public PeerConnection attach(Admission admission, Upgraded connection) {
          throw new UnsupportedOperationException("the gate attaches nothing");
        }

        @Override
        public void detach(PeerConnection peer, Short closeCode) {}

        @Override
        public int waitingCount() {
          return 0;
        }

        @Override
        public void endAll() {}
      };

  private final AtomicInteger openConnections = new AtomicInteger();
  private final AtomicInteger upgraded = new AtomicInteger();
  private final UpgradeGate gate =
      new UpgradeGate("/sudp", sessions, openConnections::get, counters);
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @AfterEach
  void stop() {
    vertx.close();
  }

  @Test
  void aRequestForThePathOfferingTheSubprotocolIsUpgraded() throws Exception {
    String url = serve(2);

    assertThat(RawUpgrade.status(http, url + "/sudp", null)).isEqualTo(101);
    // The client reads the 101 before the server's own upgrade callback has necessarily run.
    await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(upgraded).hasValue(1));
    await().atMost(10, TimeUnit.SECONDS).until(() -> gate.pending() == 0);
  }

  @Test
  void otherPathsAndOtherProtocolsAreRefusedAndCounted() throws Exception {
    String url = serve(2);

    assertThat(RawUpgrade.status(http, url + "/elsewhere", null)).isEqualTo(404);
    assertThat(plainGet(url + "/sudp")).isEqualTo(400);
    assertThat(counters.refusals(Refusal.BAD_UPGRADE)).isEqualTo(2);
    assertThat(upgraded).hasValue(0);
    await().atMost(10, TimeUnit.SECONDS).until(() -> gate.pending() == 0);
  }

  @Test
  void aFullServerRefusesBeforeAnythingElse() throws Exception {
    String url = serve(2);
    openConnections.set(2);

    assertThat(RawUpgrade.status(http, url + "/elsewhere", null)).isEqualTo(503);
    assertThat(counters.refusals(Refusal.SERVER_FULL)).isEqualTo(1);
    assertThat(upgraded).hasValue(0);
  }

  @Test
  void aServerShuttingDownRefusesEveryUpgradeWith503UntilItListensAgain() throws Exception {
    String url = serve(2);
    assertThat(RawUpgrade.status(http, url + "/sudp", null)).isEqualTo(101);

    gate.shutDown();

    assertThat(RawUpgrade.status(http, url + "/sudp", null)).isEqualTo(503);
    assertThat(RawUpgrade.status(http, url + "/sudp", null)).isEqualTo(503);
    assertThat(counters.refusals(Refusal.SHUTTING_DOWN)).isEqualTo(2);
    await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(upgraded).hasValue(1));
    await().atMost(10, TimeUnit.SECONDS).until(() -> gate.pending() == 0);

    String again = serve(2); // a route started again: the gate is reset as it listens
    assertThat(RawUpgrade.status(http, again + "/sudp", null)).isEqualTo(101);
  }

  /** A server on a free port, guarded by the gate, that upgrades what the gate lets through. */
  private String serve(int maxConnections) throws Exception {
    gate.limit(maxConnections, 10, Duration.ofSeconds(10));
    gate.reset(false);
    HttpServer server =
        gate.guard(
                vertx
                    .vertx()
                    .createHttpServer(
                        new HttpServerOptions()
                            .setHttp2ClearTextEnabled(false)
                            .setWebSocketSubProtocols(ProtocolVersion.OFFERED)),
                (request, admission) ->
                    request
                        .toWebSocket()
                        .onSuccess(
                            socket -> {
                              gate.upgraded(request.connection());
                              upgraded.incrementAndGet();
                            })
                        .onFailure(
                            error -> gate.upgradeFailed(request.connection(), admission, error)))
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    gate.guardListening(server);
    return "ws://127.0.0.1:" + server.actualPort();
  }

  /** The status of a GET that asks for no upgrade at all. */
  private int plainGet(String url) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(url.replace("ws:", "http:"))).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
