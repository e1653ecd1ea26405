package io.sudp.runtime;

import io.sudp.camel.ClientTunnelStep;
import io.sudp.client.ClientTunnel;
import io.sudp.config.ClientConfig;
import io.sudp.config.HostPort;
import io.sudp.config.TunnelConfig;
import io.sudp.ops.TrafficCounters;
import io.sudp.routes.RouteNames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;

/**
 * Keeps the client's running tunnels equal to its configuration: one route each from the {@link
 * RouteNames#TUNNEL_TEMPLATE} template, with its framing step bound. Removed and changed tunnels
 * stop and their flows end; new and changed ones start; the others are not touched, nor are their
 * flows.
 */
final class TunnelReconciler {
  private final ClientConnections connections;
  private final TrafficCounters counters;
  private final boolean nativeTransport;
  private final ClientMeters meters;
  private volatile CamelContext context;

  /**
   * The running tunnels, replaced (never changed) by {@link #apply}: read without a lock, since the
   * readers include event loops that stopping a route waits for.
   */
  private volatile Map<String, RunningTunnel> running = Map.of();

  /**
   * @param nativeTransport whether the event loops are epoll loops, which the listeners must match
   * @param meters told of every tunnel started and stopped
   */
  TunnelReconciler(
      ClientConnections connections,
      TrafficCounters counters,
      boolean nativeTransport,
      ClientMeters meters) {
    this.connections = connections;
    this.counters = counters;
    this.nativeTransport = nativeTransport;
    this.meters = meters;
  }

  /** Adds the routes of {@code config}'s tunnels to {@code context}, before it starts them. */
  void start(CamelContext context, ClientConfig config) throws Exception {
    this.context = context;
    apply(config, config.allTunnels());
  }

  /** Makes the running tunnels those of {@code desired}; {@code config} for their connections. */
  synchronized void apply(ClientConfig config, List<TunnelConfig> desired) throws Exception {
    Map<String, TunnelConfig> wanted = new LinkedHashMap<>();
    desired.forEach(tunnel -> wanted.put(tunnel.name(), tunnel));
    for (RunningTunnel tunnel : running()) {
      if (!tunnel.config().equals(wanted.get(tunnel.name()))) {
        stop(tunnel);
      }
    }
    for (TunnelConfig tunnel : wanted.values()) {
      if (!running.containsKey(tunnel.name())) {
        start(config, tunnel);
      }
    }
  }

  private void stop(RunningTunnel tunnel) throws Exception {
    String route = RouteNames.tunnelRoute(tunnel.name());
    context.getRouteController().stopRoute(route);
    context.removeRoute(route);
    context.getRegistry().unbind(RouteNames.tunnelStep(tunnel.name()));
    tunnel.tunnel().closeFlows();
    Map<String, RunningTunnel> fewer = new LinkedHashMap<>(running);
    fewer.remove(tunnel.name());
    running = fewer;
    meters.tunnelStopped(tunnel.name());
  }

  private void start(ClientConfig config, TunnelConfig tunnel) throws Exception {
    ClientConnection connection =
        connections.forTunnel(config, tunnel, context.getRegistry()::bind, context);
    ClientTunnel framing =
        new ClientTunnel(
            tunnel.name(),
            tunnel.destination(),
            tunnel.idleTimeout().toNanos(),
            tunnel.maxDatagramsPerSecond(),
            connection.flows(),
            counters);
    HostPort listen = FreePort.udp(tunnel.listen());
    String route = RouteNames.tunnelRoute(tunnel.name());
    context.getRegistry().bind(RouteNames.tunnelStep(tunnel.name()), new ClientTunnelStep(framing));
    context.addRouteFromTemplate(
        route,
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
    RunningTunnel started = new RunningTunnel(tunnel, listen, framing, connection.server());
    Map<String, RunningTunnel> more = new LinkedHashMap<>(running);
    more.put(tunnel.name(), started);
    running = more;
    meters.tunnelStarted(started);
    if (context.isStarted()) {
      context.getRouteController().startRoute(route);
    }
  }

  List<RunningTunnel> running() {
    return List.copyOf(running.values());
  }

  /** The running tunnel named {@code name}, or null. */
  RunningTunnel get(String name) {
    return running.get(name);
  }

  /** The state of {@code tunnel}'s route: started, stopped (by an operator), or retried. */
  ServiceStatus routeStatus(RunningTunnel tunnel) {
    return context.getRouteController().getRouteStatus(RouteNames.tunnelRoute(tunnel.name()));
  }
}
