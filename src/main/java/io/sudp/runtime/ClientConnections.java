package io.sudp.runtime;

import io.sudp.config.ClientConfig;
import io.sudp.ops.ConnectFailure;
import io.sudp.ops.TrafficCounters;
import io.sudp.transport.ClientSecurity;
import io.sudp.transport.HttpProxy;
import io.sudp.transport.SharedVertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.apache.camel.CamelContext;

/**
 * The connections of a client: the first to its own server with its own credentials, then one more
 * for each other server (or other credentials) a tunnel names, and for each connection name a
 * tunnel gives. Tunnels sharing a server share its connection, unless they name one of their own:
 * then a bulk tunnel's lost TCP segments and queue do not hold up the others' datagrams. Answers
 * for all of them together: connected, queue, flows, reconnects.
 */
final class ClientConnections {
  private final SharedVertx vertx;
  private final TrafficCounters counters;
  private final AtomicInteger flowIds = new AtomicInteger();
  private final BiConsumer<String, Object> bind;
  private int nextIndex;
  private CamelContext context;

  /** Replaced, never changed, when a connection is added: read without a lock by event loops. */
  private volatile Map<Key, ClientConnection> byKey = Map.of();

  ClientConnections(
      ClientConfig config,
      SharedVertx vertx,
      TrafficCounters counters,
      BiConsumer<String, Object> bind) {
    this.vertx = vertx;
    this.counters = counters;
    this.bind = bind;
    if (config.server() != null) {
      add(new Key(config.server(), null, null), config, config.security());
    }
  }

  /**
   * What tells connections apart: the server's URL, the credentials entry and the connection name
   * (null: the client's own credentials, the shared connection).
   */
  private record Key(String server, String credentials, String name) {}

  private synchronized ClientConnection add(Key key, ClientConfig config, ClientSecurity security) {
    ClientConnection connection =
        new ClientConnection(
            nextIndex++,
            key.server(),
            key.name(),
            security,
            config,
            vertx,
            counters,
            flowIds,
            bind);
    Map<Key, ClientConnection> more = new LinkedHashMap<>(byKey);
    more.put(key, connection);
    byKey = more;
    return connection;
  }

  /**
   * The connection to {@code server} with the {@code credentials} entry of {@code config} (null:
   * the client's own server, or credentials), the one called {@code name} (null: the shared one),
   * made if no tunnel used it before: its beans bound and, once the client is in a context, its
   * return route added.
   *
   * @throws IllegalArgumentException if there is no such server or credentials
   */
  synchronized ClientConnection connection(
      ClientConfig config, String server, String credentials, String name) throws Exception {
    String url = server != null ? server : config.server();
    if (url == null) {
      throw new IllegalArgumentException(
          "no server: the tunnel names none and the client has none of its own");
    }
    ClientSecurity security =
        credentials == null ? config.security() : config.credentials().get(credentials);
    if (security == null) {
      throw new IllegalArgumentException(
          "credentials '" + credentials + "' are not in client.credentials");
    }
    Key key = new Key(url, credentials, name);
    ClientConnection found = byKey.get(key);
    if (found != null) {
      return found;
    }
    ClientConnection made = add(key, config, security);
    if (context != null) {
      made.addRoute(context);
    }
    return made;
  }

  /**
   * Closes {@code connection}, which no tunnel uses any more, unless it is the client's own (to
   * {@code config}'s server with its own credentials): its return route stops (the connection
   * closes) and goes, on a worker, not inside the removal of the tunnel's route that let it go.
   */
  synchronized void retire(ClientConfig config, ClientConnection connection) {
    Key key =
        byKey.entrySet().stream()
            .filter(entry -> entry.getValue() == connection)
            .map(Map.Entry::getKey)
            .findFirst()
            .orElse(null);
    if (key == null || key.equals(new Key(config.server(), null, null))) {
      return;
    }
    Map<Key, ClientConnection> fewer = new LinkedHashMap<>(byKey);
    fewer.remove(key);
    byKey = fewer;
    CamelContext current = context;
    if (current != null && !current.isStopping()) {
      vertx.vertx().executeBlocking(() -> connection.removeRoute(current), false);
    }
  }

  /** Adds the return route of every connection made so far, and of those made from now on. */
  synchronized void addRoutes(CamelContext context) throws Exception {
    this.context = context;
    for (ClientConnection connection : all()) {
      connection.addRoute(context);
    }
  }

  List<ClientConnection> all() {
    return List.copyOf(byKey.values());
  }

  /**
   * The connection to the client's own server, with its own credentials; else the first a tunnel
   * made; null before any.
   */
  ClientConnection primary() {
    return byKey.isEmpty() ? null : byKey.values().iterator().next();
  }

  /** The keepalive round trip of {@link #primary}'s connection in microseconds; -1 if unknown. */
  long primaryRttMicros() {
    ClientConnection primary = primary();
    return primary == null ? -1 : primary.socket().keepaliveRttMicros();
  }

  boolean allConnected() {
    return all().stream().allMatch(connection -> connection.socket().isConnected());
  }

  /** The first connection's problem, if one has a problem. */
  String lastError() {
    return all().stream()
        .map(connection -> connection.socket().lastError())
        .filter(java.util.Objects::nonNull)
        .findFirst()
        .orElse(null);
  }

  int queueDepth() {
    return all().stream().mapToInt(connection -> connection.socket().queueDepth()).sum();
  }

  long reconnects() {
    return all().stream().mapToLong(connection -> connection.socket().reconnects()).sum();
  }

  long connectFailures(ConnectFailure cause) {
    return all().stream().mapToLong(connection -> connection.socket().connectFailures(cause)).sum();
  }

  int flowCount() {
    return all().stream().mapToInt(connection -> connection.flows().size()).sum();
  }

  List<String> describeFlows() {
    List<String> lines = new ArrayList<>();
    all().forEach(connection -> lines.addAll(connection.flows().describe()));
    return lines;
  }

  boolean closeFlow(int id) {
    return all().stream().anyMatch(connection -> connection.flows().close(id));
  }

  void expireIdle() {
    all()
        .forEach(
            connection -> {
              connection.flows().expireIdle();
              connection.reverse().expireIdle();
            });
  }

  void reconnect() {
    all().forEach(connection -> connection.socket().reconnect());
  }

  JsonArray toJson() {
    JsonArray connections = new JsonArray();
    for (ClientConnection connection : all()) {
      JsonObject failures = new JsonObject();
      for (ConnectFailure cause : ConnectFailure.values()) {
        failures.put(cause.label(), connection.socket().connectFailures(cause));
      }
      HttpProxy proxy = connection.socket().proxy();
      connections.add(
          new JsonObject()
              .put("server", connection.server())
              .put("name", connection.name())
              .put("proxy", proxy == null ? null : proxy.url())
              .put("connected", connection.socket().isConnected())
              .put("lastError", connection.socket().lastError())
              .put("keepaliveRttMicros", connection.socket().keepaliveRttMicros())
              .put("flows", connection.flows().size())
              .put("queue", connection.socket().queueDepth())
              .put("reconnects", connection.socket().reconnects())
              .put("connectFailures", failures));
    }
    return connections;
  }
}
