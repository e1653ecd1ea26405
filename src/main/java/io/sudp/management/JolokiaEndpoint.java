package io.sudp.management;

import io.sudp.config.HostPort;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.jolokia.json.JSONStructure;
import org.jolokia.server.core.config.ConfigKey;
import org.jolokia.server.core.config.StaticConfiguration;
import org.jolokia.server.core.http.HttpRequestHandler;
import org.jolokia.server.core.service.JolokiaServiceManagerFactory;
import org.jolokia.server.core.service.api.JolokiaServiceManager;
import org.jolokia.server.core.service.impl.QuietLogHandler;
import org.jolokia.service.jmx.LocalRequestHandler;
import org.jolokia.service.serializer.JolokiaSerializer;

/**
 * Jolokia (JMX over HTTP/JSON) on the management port, at {@code /jolokia}, for Hawtio: Camel's
 * route MBeans and SUDP's own. What it may change is a {@link JolokiaPolicy}'s to say, and only a
 * POST may change anything: a GET (which any web page can make a browser send) only reads. By
 * default only clients on the loopback interface are served.
 */
final class JolokiaEndpoint implements AutoCloseable {
  static final String PATH = "/jolokia";

  /** Calls waiting or running at once; one more is answered 503 at once, not queued. */
  static final int MAX_PENDING = 16;

  /** The largest POST body taken (a Jolokia request is some hundred bytes of JSON); more: 413. */
  static final int MAX_BODY = 1 << 20;

  private final boolean remoteAllowed;
  private final List<JolokiaServiceManager> services = new ArrayList<>();
  private final HttpRequestHandler reading;
  private final HttpRequestHandler changing;
  private final WorkerExecutor worker;
  private final AtomicInteger pending = new AtomicInteger();

  /**
   * @param changeableDomains JMX domains whose operations a POST may run (empty: read only)
   */
  JolokiaEndpoint(Vertx vertx, boolean remoteAllowed, Set<String> changeableDomains) {
    this.remoteAllowed = remoteAllowed;
    this.reading = handler(new JolokiaPolicy(Set.of()));
    this.changing = handler(new JolokiaPolicy(changeableDomains));
    // a thread of its own: JMX calls, however many are asked for, never hold up /health or /metrics
    this.worker = vertx.createSharedWorkerExecutor("sudp-jolokia", 1);
  }

  private HttpRequestHandler handler(JolokiaPolicy policy) {
    JolokiaServiceManager manager =
        JolokiaServiceManagerFactory.createJolokiaServiceManager(
            new StaticConfiguration(ConfigKey.AGENT_ID, "sudp"), new QuietLogHandler(), policy);
    manager.addService(new JolokiaSerializer());
    manager.addService(new LocalRequestHandler(1));
    services.add(manager);
    return new HttpRequestHandler(manager.start());
  }

  void handle(HttpServerRequest request) {
    if (!remoteAllowed && !HostPort.isLoopback(request.remoteAddress().host())) {
      request
          .response()
          .setStatusCode(403)
          .end("Jolokia is served to local clients only (management.jolokia: remote to change)\n");
      return;
    }
    String uri = request.uri();
    // Decoded, as a servlet's path info is: MBean names in the path may be percent-encoded, and a
    // '+' in a path is a plus, not a space.
    String path =
        URLDecoder.decode(
            request
                .path()
                .substring(Math.min(PATH.length(), request.path().length()))
                .replace("+", "%2B"),
            StandardCharsets.UTF_8);
    Map<String, String[]> parameters = parameters(request.params());
    if (request.method() == HttpMethod.GET) {
      answer(request, () -> reading.handleGetRequest(uri, path, parameters));
    } else if (request.method() == HttpMethod.POST) {
      readBody(
          request,
          body ->
              answer(
                  request,
                  () ->
                      changing.handlePostRequest(
                          uri,
                          new ByteArrayInputStream(body.getBytes()),
                          StandardCharsets.UTF_8.name(),
                          parameters)));
    } else {
      request.response().setStatusCode(405).end();
    }
  }

  /** The request's body, up to {@link #MAX_BODY}; beyond that a 413 and the connection closed. */
  private static void readBody(HttpServerRequest request, Handler<Buffer> then) {
    Buffer body = Buffer.buffer();
    HttpServerResponse response = request.response();
    request.handler(
        chunk -> {
          if (response.ended()) {
            return;
          }
          if (body.length() + chunk.length() > MAX_BODY) {
            response.setStatusCode(413).end();
            request.connection().close();
            return;
          }
          body.appendBuffer(chunk);
        });
    request.endHandler(
        ended -> {
          if (!response.ended()) {
            then.handle(body);
          }
        });
  }

  /**
   * Runs a JMX request off the event loop (an MBean operation may block), unless {@link
   * #MAX_PENDING} wait already; a call whose client has gone by its turn is skipped. Pipelined
   * requests of a connection that closes are all handed over at once, and each waited for its turn
   * before, so one burst kept the workers busy for minutes.
   */
  private void answer(HttpServerRequest request, JolokiaCall call) {
    HttpServerResponse response = request.response();
    if (pending.incrementAndGet() > MAX_PENDING) {
      pending.decrementAndGet();
      response.setStatusCode(503).end("{\"status\":503,\"error\":\"busy\"}");
      return;
    }
    Future<String> answered;
    try {
      answered = worker.executeBlocking(() -> response.closed() ? "" : run(call), false);
    } catch (RuntimeException closed) { // the executor is closed: the server stops
      pending.decrementAndGet();
      throw closed;
    }
    answered.onComplete(
        result -> {
          pending.decrementAndGet();
          if (response.closed() || response.ended()) {
            return;
          }
          response
              .putHeader("Content-Type", "application/json")
              .end(
                  result.succeeded()
                      ? Buffer.buffer(result.result())
                      : Buffer.buffer("{\"status\":500}"));
        });
  }

  private static String run(JolokiaCall call) {
    try {
      JSONStructure json = call.run();
      return json == null ? "" : json.toJSONString();
    } catch (Exception e) {
      return new JsonObject().put("status", 500).put("error", e.toString()).encode();
    }
  }

  private interface JolokiaCall {
    JSONStructure run() throws Exception;
  }

  private static Map<String, String[]> parameters(MultiMap params) {
    Map<String, String[]> result = new HashMap<>();
    for (String name : params.names()) {
      result.put(name, params.getAll(name).toArray(new String[0]));
    }
    return result;
  }

  @Override
  public void close() {
    worker.close();
    services.forEach(JolokiaServiceManager::stop);
  }
}
