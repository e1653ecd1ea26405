package io.sudp.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.sudp.camel.FrameDecoding;
import io.sudp.config.ClientConfig;
import io.sudp.config.HostPort;
import io.sudp.config.TunnelConfig;
import io.sudp.ops.TrafficCounters;
import io.sudp.routes.RouteNames;
import io.sudp.transport.SharedVertx;
import io.sudp.transport.WsClient;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;

/**
 * A client: its connections with their beans, its tunnels ({@link TunnelReconciler}), kept equal to
 * the configuration and its instance files ({@link InstanceFileWatch}) while it runs, its meters
 * and its status ({@link ClientStatus}).
 */
public final class ClientAssembly {
  private final TrafficCounters counters = new TrafficCounters();
  private final ClientConnections connections;
  private final ClientMeters meters;
  private final TunnelReconciler tunnels;
  private final ClientStatus status;
  private volatile ClientConfig config;

  ClientAssembly(ClientConfig config, SharedVertx vertx, BiConsumer<String, Object> bind) {
    this.config = config;
    bind.accept(RouteNames.CLIENT_FRAMING, new FrameDecoding());
    connections = new ClientConnections(config, vertx, counters, bind);
    try {
      for (TunnelConfig tunnel : config.allTunnels()) {
        connections.forTunnel(config, tunnel, bind, null);
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot set up the client's connections", e);
    }
    meters = new ClientMeters(counters, connections);
    tunnels = new TunnelReconciler(connections, counters, vertx.nativeTransport(), meters);
    status = new ClientStatus(connections, tunnels, counters);
  }

  /** Adds the connections' and the configured tunnels' routes, before the context starts them. */
  void addTunnelRoutes(CamelContext context) throws Exception {
    connections.addRoutes(context);
    tunnels.start(context, config);
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
    tunnels.apply(config, next.allTunnels());
    return connectionChanged ? List.of("client (other than tunnels)") : List.of();
  }

  /**
   * Once the routes run: a log line when a tunnel listens or cannot, and the instance files applied
   * as they are edited.
   */
  void watch(CamelContext context, Vertx vertx, Logger log) {
    new TunnelListenWatch(context, tunnels, log).start(vertx);
    if (config.instancesDir() != null) {
      new InstanceFileWatch(config.instancesDir(), context, () -> config, tunnels, log)
          .start(vertx);
    }
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

  /** Frames waiting to be written, over all connections. */
  public int queueDepth() {
    return connections.queueDepth();
  }

  /** Drops every connection and makes new ones at once; the sessions resume. */
  public void reconnect() {
    connections.reconnect();
  }

  /** Ends flows idle for longer than their tunnel's timeout. */
  void expireIdle() {
    connections.expireIdle();
  }

  /** How often idle flows are looked for: a quarter of the shortest idle timeout. */
  long idleSweepMillis() {
    long shortest =
        config.allTunnels().stream()
            .mapToLong(t -> t.idleTimeout().toMillis())
            .min()
            .orElse(config.idleTimeout().toMillis());
    return Math.max(100, Math.min(shortest, config.idleTimeout().toMillis()) / 4);
  }

  /** Counts what the kernel dropped at the tunnels' listening sockets; about once a second. */
  void countReceiveDrops() {
    tunnels.running().forEach(tunnel -> tunnel.tunnel().countReceiveDrops());
  }

  /** The address a tunnel listens on, with the port picked when it was configured as 0. */
  public HostPort listenAddress(String tunnel) {
    RunningTunnel found = tunnels.get(tunnel);
    return found == null ? null : found.listen();
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
