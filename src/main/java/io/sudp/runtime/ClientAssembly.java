package io.sudp.runtime;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sudp.camel.ClientTunnelStep;
import io.sudp.camel.FrameDecoding;
import io.sudp.camel.RouteNames;
import io.sudp.client.ClientTunnel;
import io.sudp.config.ClientConfig;
import io.sudp.config.ConfigException;
import io.sudp.config.HostPort;
import io.sudp.config.SudpConfig;
import io.sudp.config.TunnelConfig;
import io.sudp.ops.Failures;
import io.sudp.ops.TrafficCounters;
import io.sudp.ops.TrafficRates;
import io.sudp.ops.TunnelMetrics;
import io.sudp.transport.SharedVertx;
import io.sudp.transport.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.spi.SupervisingRouteController;
import org.slf4j.Logger;

/**
 * The client's beans, and its tunnels: one route each from the {@code sudp-client-tunnel} template,
 * kept equal to the configuration and its instance files while the client runs.
 */
public final class ClientAssembly {
  private final TrafficCounters counters = new TrafficCounters();
  private final TrafficRates rates = TrafficRates.of(counters);
  private volatile CamelContext context;
  private MeterRegistry registry;
  private TunnelMetrics metrics;
  private final Map<String, List<Meter>> tunnelMeters = new HashMap<>();
  private final ClientConnections connections;
  private final boolean nativeTransport;
  private volatile ClientConfig config;

  /**
   * The running tunnels, replaced (never changed) by {@link #apply}: read without a lock, since the
   * readers include event loops that stopping a route waits for.
   */
  private volatile Map<String, Running> running = Map.of();

  /**
   * A tunnel that runs: its configuration, the address it listens on (port 0 resolved to the port
   * picked) and its framing processor.
   */
  private record Running(TunnelConfig config, HostPort listen, ClientTunnel processor) {}

  ClientAssembly(ClientConfig config, SharedVertx vertx, BiConsumer<String, Object> bind) {
    this.config = config;
    this.nativeTransport = vertx.nativeTransport();
    bind.accept(RouteNames.CLIENT_FRAMING, new FrameDecoding());
    connections = new ClientConnections(config, vertx, counters, bind);
    try {
      for (TunnelConfig tunnel : config.allTunnels()) {
        connections.forTunnel(config, tunnel, bind, null);
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot set up the client's connections", e);
    }
  }

  /**
   * Applies a reloaded configuration: its tunnels at once, as for instance files. Settings of the
   * connection itself (server, credentials, queue...) are kept; their keys are returned, as needing
   * a restart.
   */
  List<String> reload(CamelContext context, ClientConfig next) throws Exception {
    ClientConfig current = config;
    boolean connectionChanged =
        !next.withTunnels(current.tunnels(), current.instances()).equals(current);
    config = current.withTunnelsOf(next);
    apply(context, next.allTunnels());
    return connectionChanged ? List.of("client (other than tunnels)") : List.of();
  }

  /** Adds the configured tunnels' routes, before the context starts them. */
  void addTunnelRoutes(CamelContext context) throws Exception {
    this.context = context;
    connections.addRoutes(context);
    apply(context, config.allTunnels());
  }

  /**
   * Makes the running tunnels those of {@code desired}: removed and changed tunnels stop and their
   * flows end; new and changed ones start; the others are not touched, nor are their flows.
   */
  private synchronized void apply(CamelContext context, List<TunnelConfig> desired)
      throws Exception {
    Map<String, TunnelConfig> wanted = new LinkedHashMap<>();
    desired.forEach(tunnel -> wanted.put(tunnel.name(), tunnel));
    for (Running tunnel : List.copyOf(running.values())) {
      String name = tunnel.config().name();
      if (!tunnel.config().equals(wanted.get(name))) {
        context.getRouteController().stopRoute(RouteNames.tunnelRoute(name));
        context.removeRoute(RouteNames.tunnelRoute(name));
        context.getRegistry().unbind(RouteNames.tunnelStep(name));
        tunnel.processor().closeFlows();
        Map<String, Running> fewer = new LinkedHashMap<>(running);
        fewer.remove(name);
        running = fewer;
        if (registry != null) {
          unpublishTunnel(name);
        }
      }
    }
    for (TunnelConfig tunnel : wanted.values()) {
      if (!running.containsKey(tunnel.name())) {
        ClientConnection connection =
            connections.forTunnel(config, tunnel, context.getRegistry()::bind, context);
        ClientTunnel processor =
            new ClientTunnel(
                tunnel.name(),
                tunnel.destination(),
                tunnel.idleTimeout().toNanos(),
                tunnel.maxDatagramsPerSecond(),
                connection.flows(),
                counters);
        HostPort listen = FreePort.udp(tunnel.listen());
        context
            .getRegistry()
            .bind(RouteNames.tunnelStep(tunnel.name()), new ClientTunnelStep(processor));
        context.addRouteFromTemplate(
            RouteNames.tunnelRoute(tunnel.name()),
            RouteNames.TUNNEL_TEMPLATE,
            Map.of(
                "host",
                listen.uriHost(),
                "port",
                listen.port(),
                "tunnel",
                RouteNames.tunnelStep(tunnel.name()),
                "socket",
                connection.socketBean(),
                "receiveBufferSize",
                tunnel.receiveBuffer(),
                "nativeTransport",
                nativeTransport));
        Map<String, Running> more = new LinkedHashMap<>(running);
        Running started = new Running(tunnel, listen, processor);
        more.put(tunnel.name(), started);
        running = more;
        if (registry != null) {
          publishTunnel(started);
        }
        if (context.isStarted()) {
          context.getRouteController().startRoute(RouteNames.tunnelRoute(tunnel.name()));
        }
      }
    }
  }

  private List<Running> runningTunnels() {
    return List.copyOf(running.values());
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

  /** One line per tunnel: name, route state, listen address, destination. */
  List<String> describeTunnels(CamelContext context) {
    return runningTunnels().stream()
        .map(
            tunnel ->
                tunnel.config().name()
                    + ": "
                    + context
                        .getRouteController()
                        .getRouteStatus(RouteNames.tunnelRoute(tunnel.config().name()))
                    + ", udp "
                    + tunnel.listen()
                    + " -> "
                    + tunnel.config().destination()
                    + ", "
                    + tunnel.processor().flowCount()
                    + " flows")
        .toList();
  }

  /** The address a tunnel listens on, with the port picked when it was configured as 0. */
  public HostPort listenAddress(String tunnel) {
    Running found = running.get(tunnel);
    return found == null ? null : found.listen();
  }

  /**
   * One line per tunnel when it listens, and one when it cannot (its port taken, say): the route
   * controller retries it in the background while the other tunnels run.
   */
  void watchTunnels(CamelContext context, Vertx vertx, Logger log) {
    Map<String, TunnelConfig> listening = new HashMap<>();
    Map<String, TunnelConfig> failing = new HashMap<>();
    Runnable check =
        () -> {
          if (context.isStopping() || !context.isStarted()) {
            return;
          }
          List<Running> tunnels = runningTunnels();
          List<String> names = tunnels.stream().map(each -> each.config().name()).toList();
          listening.keySet().retainAll(names);
          failing.keySet().retainAll(names);
          for (Running each : tunnels) {
            TunnelConfig tunnel = each.config();
            String route = RouteNames.tunnelRoute(tunnel.name());
            if (context.getRouteController().getRouteStatus(route) == ServiceStatus.Started) {
              failing.remove(tunnel.name());
              if (!tunnel.equals(listening.put(tunnel.name(), tunnel))) {
                log.info(
                    "tunnel {}: udp {} -> {} via {}",
                    tunnel.name(),
                    each.listen(),
                    tunnel.destination(),
                    config.serverOf(tunnel));
              }
              continue;
            }
            Throwable error =
                !context.getRouteController().isSupervising()
                    ? null
                    : context
                        .getRouteController()
                        .adapt(SupervisingRouteController.class)
                        .getRestartException(route);
            if (error != null && !tunnel.equals(failing.put(tunnel.name(), tunnel))) {
              listening.remove(tunnel.name());
              log.warn(
                  "tunnel {}: cannot listen on udp {}: {}; retrying",
                  tunnel.name(),
                  each.listen(),
                  Failures.describe(error));
            }
          }
        };
    check.run();
    vertx.setPeriodic(1_000, id -> check.run());
  }

  /**
   * Applies edits of the instance files within a second: added files start tunnels, removed ones
   * stop them, changed ones restart them. An edit that does not validate is reported, problem by
   * problem, and the running tunnels stay as they are.
   */
  void watchInstanceFiles(CamelContext context, Vertx vertx, Logger log) {
    Path dir = config.instancesDir();
    if (dir == null) {
      return;
    }
    String[] seen = {fingerprint(dir)};
    vertx.setPeriodic(
        1_000,
        id ->
            vertx.executeBlocking(
                () -> {
                  String now = fingerprint(dir);
                  if (now.equals(seen[0]) || context.isStopping()) {
                    return null;
                  }
                  seen[0] = now;
                  try {
                    ClientConfig current = config;
                    List<TunnelConfig> desired = new ArrayList<>(current.tunnels());
                    desired.addAll(SudpConfig.readInstances(current));
                    apply(context, desired);
                    log.info("instance files in {} applied: {} tunnels", dir, desired.size());
                  } catch (ConfigException e) {
                    log.warn(
                        "instance files in {} rejected; the running tunnels stay as they are:",
                        dir);
                    e.problems().forEach(problem -> log.warn("  {}", problem));
                  }
                  return null;
                },
                true));
  }

  /** Names, sizes and modification times of the instance files: changes when any file does. */
  private static String fingerprint(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      StringBuilder print = new StringBuilder();
      for (Path file : files.sorted().toList()) {
        print
            .append(file.getFileName())
            .append(' ')
            .append(Files.size(file))
            .append(' ')
            .append(Files.getLastModifiedTime(file).toMillis())
            .append('\n');
      }
      return print.toString();
    } catch (IOException e) {
      return "unreadable: " + e.getMessage();
    }
  }

  /** Publishes the client's counters and gauges as meters. */
  synchronized void publish(MeterRegistry registry) {
    WsClient primary = socket();
    metrics =
        new TunnelMetrics(registry, "client")
            .counters(counters)
            .gauge(
                "sudp.connected",
                "1 while connected to every server the tunnels use",
                () -> connections.allConnected() ? 1 : 0)
            .gauge("sudp.flows", "flows (local senders)", connections::flowCount)
            .gauge("sudp.queue.depth", "frames waiting to be written", connections::queueDepth)
            .gauge(
                "sudp.keepalive.rtt.seconds",
                "round-trip time of the last keepalive",
                () ->
                    primary.keepaliveRttMicros() < 0
                        ? Double.NaN
                        : primary.keepaliveRttMicros() / 1e6)
            .count(
                "sudp.reconnects",
                "connections made again after one was lost",
                connections,
                ClientConnections::reconnects)
            .count(
                "sudp.connect.failures",
                "attempts to connect that failed (refused, TLS, upgrade)",
                connections,
                ClientConnections::connectFailures);
    this.registry = registry;
    running.values().forEach(this::publishTunnel);
  }

  /** The meters of one tunnel, tagged with its name; removed when the tunnel is. */
  private void publishTunnel(Running tunnel) {
    String name = tunnel.config().name();
    List<Meter> meters =
        new ArrayList<>(metrics.traffic("tunnel", name, tunnel.processor().traffic()));
    meters.add(
        metrics.tunnelGauge(
            "sudp.tunnel.flows", "flows of this tunnel", name, tunnel.processor()::flowCount));
    tunnelMeters.put(name, meters);
  }

  private void unpublishTunnel(String name) {
    List<Meter> meters = tunnelMeters.remove(name);
    if (meters != null) {
      meters.forEach(registry::remove);
    }
  }

  public TrafficCounters counters() {
    return counters;
  }

  /** The connection to the client's own server. */
  public WsClient socket() {
    return connections.primary().socket();
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

  JsonObject statusJson() {
    JsonArray tunnels = new JsonArray();
    for (Running tunnel : runningTunnels()) {
      tunnels.add(
          new JsonObject()
              .put("name", tunnel.config().name())
              .put(
                  "state",
                  String.valueOf(
                      context
                          .getRouteController()
                          .getRouteStatus(RouteNames.tunnelRoute(tunnel.config().name()))))
              .put("listen", tunnel.listen().toString())
              .put("destination", tunnel.config().destination().toString())
              .put("flows", tunnel.processor().flowCount())
              .put("traffic", tunnel.processor().traffic().toJson()));
    }
    return new JsonObject()
        .put("connected", connections.allConnected())
        .put("server", config.server())
        .put("lastError", connections.lastError())
        .put("keepaliveRttMicros", socket().keepaliveRttMicros())
        .put("connections", connections.toJson())
        .put("tunnels", tunnels)
        .put("flows", connections.flowCount())
        .put("queue", connections.queueDepth())
        .put("reconnects", connections.reconnects())
        .put("counts", counters.toJson())
        .put("rates", rates.toJson());
  }

  /** Samples the per-second rates of the client and of each tunnel; about once a second. */
  void sampleRates() {
    rates.sample();
    runningTunnels().forEach(tunnel -> tunnel.processor().traffic().sample());
  }

  /** Counts what the kernel dropped at the tunnels' listening sockets; about once a second. */
  void countReceiveDrops() {
    runningTunnels().forEach(tunnel -> tunnel.processor().countReceiveDrops());
  }

  String status() {
    long rtt = socket().keepaliveRttMicros();
    String error = connections.lastError();
    StringBuilder tunnels = new StringBuilder();
    for (Running tunnel : runningTunnels()) {
      tunnels
          .append(tunnels.length() == 0 ? "" : " ")
          .append(tunnel.config().name())
          .append('@')
          .append(tunnel.listen());
    }
    int count = connections.all().size();
    return "client: "
        + (connections.allConnected() ? "connected" : "disconnected")
        + (count > 1 ? " (" + count + " servers)" : "")
        + (error != null ? " (" + error + ")" : "")
        + (rtt >= 0 ? " (rtt " + rtt + " us)" : "")
        + ", tunnels "
        + tunnels
        + ", "
        + connections.flowCount()
        + " flows, queue "
        + connections.queueDepth()
        + ", "
        + counters.summary();
  }
}
