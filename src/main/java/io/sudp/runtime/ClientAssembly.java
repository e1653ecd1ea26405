package io.sudp.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.sudp.camel.FrameDecoding;
import io.sudp.camel.ServerConnections;
import io.sudp.client.ClientTunnel;
import io.sudp.config.ClientConfig;
import io.sudp.config.ConfigException;
import io.sudp.config.HostPort;
import io.sudp.config.RouteTunnels;
import io.sudp.config.TunnelConfig;
import io.sudp.ops.TrafficCounters;
import io.sudp.routes.RouteNames;
import io.sudp.transport.FrameSender;
import io.sudp.transport.SharedVertx;
import io.sudp.transport.WsClient;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;

/**
 * A client: its connections, one per server, credentials and connection name ({@link
 * ServerConnections}), and the tunnels it carries, each one a route from the {@code
 * sudp-client-tunnel} template that joins it when the route starts ({@link TunnelRouteStep}). The
 * tunnels of its configuration and instance files are such routes too, kept equal to the files
 * while it runs ({@link TunnelReconciler}, {@link InstanceFileWatch}). Also its meters and its
 * status ({@link ClientStatus}).
 */
public final class ClientAssembly implements ServerConnections {
  private final TrafficCounters counters = new TrafficCounters();
  private final ClientConnections connections;
  private final ClientMeters meters;
  private final AttachedTunnels tunnels = new AttachedTunnels();
  private final TunnelReconciler configured = new TunnelReconciler();
  private final ClientStatus status;
  private volatile ClientConfig config;

  /** Binds the beans of its connections and of their return routes with {@code bind}. */
  ClientAssembly(ClientConfig config, SharedVertx vertx, BiConsumer<String, Object> bind) {
    this.config = config;
    bind.accept(RouteNames.CLIENT_FRAMING, new FrameDecoding());
    connections = new ClientConnections(config, vertx, counters, bind);
    meters = new ClientMeters(counters, connections);
    status = new ClientStatus(connections, tunnels, counters);
  }

  /**
   * Joins {@code context}: adds the connections' return routes and the configured tunnels' routes,
   * before or after it starts.
   */
  void addTunnelRoutes(CamelContext context) throws Exception {
    tunnels.bindTo(context);
    connections.addRoutes(context);
    configured.start(context, config.allTunnels());
  }

  @Override
  public FrameSender connection(String server, String credentials, String connection) {
    return connectionTo(emptyIsNull(server), emptyIsNull(credentials), emptyIsNull(connection))
        .socket();
  }

  private static String emptyIsNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  /**
   * The connection to {@code server} with {@code credentials} (null: the client's own), the one
   * named {@code connection} (null: the shared one).
   */
  private ClientConnection connectionTo(String server, String credentials, String connection) {
    try {
      return connections.connection(config, server, credentials, connection);
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("cannot add the connection to " + server, e);
    }
  }

  /**
   * Starts carrying the tunnel that route {@code routeId} declares with {@code parameters} (the
   * keys of a {@code client.tunnels} entry): its framing core, on the connection to its server.
   *
   * @throws IllegalArgumentException with every problem of the parameters, or if another route
   *     carries a tunnel of that name
   */
  synchronized ClientTunnel attach(String routeId, Map<String, String> parameters) {
    TunnelConfig tunnel;
    try {
      tunnel = RouteTunnels.read(config, routeId, parameters);
    } catch (ConfigException e) {
      throw new IllegalArgumentException(String.join("\n", e.problems()), e);
    }
    ClientConnection connection;
    try {
      connection = connectionTo(tunnel.server(), tunnel.credentials(), tunnel.connection());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("route " + routeId + ": " + e.getMessage(), e);
    }
    ClientTunnel framing =
        new ClientTunnel(
            tunnel.name(),
            tunnel.destination(),
            tunnel.idleTimeout().toNanos(),
            tunnel.maxDatagramsPerSecond(),
            connection.flows(),
            counters);
    RunningTunnel running = new RunningTunnel(tunnel, routeId, framing, connection);
    tunnels.add(running);
    meters.tunnelStarted(running);
    return framing;
  }

  /**
   * Stops carrying the tunnel named {@code name} that route {@code routeId} declared; the
   * connection it used is closed if no tunnel uses it any more, unless it is the client's own.
   */
  synchronized void detach(String name, String routeId) {
    RunningTunnel gone = tunnels.remove(name, routeId);
    if (gone == null) {
      return;
    }
    gone.tunnel().closeFlows();
    meters.tunnelStopped(name);
    ClientConnection connection = gone.connection();
    if (tunnels.running().stream().noneMatch(tunnel -> tunnel.connection() == connection)) {
      connections.retire(config, connection);
    }
  }

  /**
   * Applies a reloaded configuration: its tunnels at once, as for instance files. Settings of the
   * connection itself (server, credentials, queue...) are kept; their keys are returned, as needing
   * a restart.
   */
  List<String> reload(ClientConfig next) throws Exception {
    ClientConfig current = config;
    boolean connectionChanged =
        !next.withTunnels(current.tunnels(), current.instances()).equals(current);
    config = current.withTunnelsOf(next);
    configured.apply(next.allTunnels());
    return connectionChanged ? List.of("client (other than tunnels)") : List.of();
  }

  /** The client's configuration as it is now (a reload changes its tunnels). */
  ClientConfig config() {
    return config;
  }

  /**
   * Once the routes run: a log line when a tunnel listens or cannot, the instance files applied as
   * they are edited, idle flows swept, and every second the listeners' kernel drops counted and the
   * rates sampled.
   */
  void startHousekeeping(CamelContext context, Vertx vertx, Logger log) {
    new TunnelListenWatch(context, tunnels, log).start(vertx);
    if (config.instancesDir() != null) {
      new InstanceFileWatch(config.instancesDir(), context, () -> config, configured, log)
          .start(vertx);
    }
    vertx.setPeriodic(idleSweepMillis(), id -> connections.expireIdle());
    vertx.setPeriodic(
        1_000,
        id -> {
          tunnels.running().forEach(tunnel -> tunnel.tunnel().countReceiveDrops());
          status.sampleRates();
        });
  }

  /** The server this client connects to (its tunnels may name others). */
  String serverUrl() {
    return config.server();
  }

  /** Connected to every server its tunnels use. */
  public boolean connected() {
    return connections.allConnected();
  }

  /** One line per flow over all connections, starting with the id {@link #closeFlow} takes. */
  public List<String> describeFlows() {
    return connections.describeFlows();
  }

  /** Ends one flow here and on its server; false if there is no such flow. */
  public boolean closeFlow(int id) {
    return connections.closeFlow(id);
  }

  public int flowCount() {
    return connections.flowCount();
  }

  /** Reverse flows carried now, over all connections. */
  public int reverseFlowCount() {
    return connections.all().stream().mapToInt(c -> c.reverse().flowCount()).sum();
  }

  /** One line per reverse tunnel: its server port, destination and what the server answered. */
  public List<String> describeReverseTunnels() {
    return connections.all().stream().flatMap(c -> c.reverse().describe().stream()).toList();
  }

  /** Frames waiting to be written, over all connections. */
  public int queueDepth() {
    return connections.queueDepth();
  }

  /** Drops every connection and makes new ones at once; the sessions resume. */
  public void reconnect() {
    connections.reconnect();
  }

  /** How often idle flows are looked for: a quarter of the shortest idle timeout configured. */
  private long idleSweepMillis() {
    long shortest =
        config.allTunnels().stream()
            .mapToLong(t -> t.idleTimeout().toMillis())
            .min()
            .orElse(config.idleTimeout().toMillis());
    return Math.max(100, Math.min(shortest, config.idleTimeout().toMillis()) / 4);
  }

  /** The address a tunnel listens on, with the port picked when it was configured as 0. */
  public HostPort listenAddress(String tunnel) {
    RunningTunnel found = running(tunnel);
    return found == null ? null : found.listen();
  }

  /** The tunnel named {@code name} that this client carries now, or null. */
  RunningTunnel running(String name) {
    return tunnels.get(name);
  }

  /** Publishes the client's counters and gauges as meters, and each tunnel's. */
  void publish(MeterRegistry registry) {
    meters.publish(registry, tunnels::running);
  }

  ClientStatus status() {
    return status;
  }

  public TrafficCounters counters() {
    return counters;
  }

  /** The connection to the client's own server. */
  public WsClient socket() {
    return connections.primary().socket();
  }

  /** Each connection's state, for health checks: its server, and since when and why it is down. */
  public List<ConnectionState> connectionStates() {
    return connections.all().stream()
        .map(
            connection ->
                new ConnectionState(
                    connection.server(),
                    connection.socket().lastError(),
                    connection.socket().disconnectedSince()))
        .toList();
  }
}
