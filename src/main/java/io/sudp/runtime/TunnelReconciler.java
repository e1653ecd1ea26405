package io.sudp.runtime;

import io.sudp.config.HostPort;
import io.sudp.config.TunnelConfig;
import io.sudp.routes.RouteNames;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;

/**
 * Keeps the tunnel routes of the client's configuration and instance files equal to them: one route
 * each from the {@link RouteNames#TUNNEL_TEMPLATE} template, with the tunnel's settings as its
 * plain parameters, exactly as a user's own {@code templatedRoute} declares one. Removed and
 * changed tunnels' routes go (their flows end); new and changed ones come; the others are not
 * touched, nor are their flows.
 */
final class TunnelReconciler {
  private CamelContext context;

  /** The configured tunnels whose routes are in the context, by name. */
  private final Map<String, TunnelConfig> routed = new LinkedHashMap<>();

  /** Adds the routes of {@code desired} to {@code context}, before or after it starts. */
  synchronized void start(CamelContext context, List<TunnelConfig> desired) throws Exception {
    this.context = context;
    apply(desired);
  }

  /**
   * Takes charge of the routes of {@code existing} that {@code context} already has (Camel loaded
   * them from their route files), without touching them: a later {@link #apply} leaves them as they
   * are unless they change.
   */
  synchronized void adopt(CamelContext context, List<TunnelConfig> existing) {
    this.context = context;
    for (TunnelConfig tunnel : existing) {
      if (context.getRoute(tunnel.routeId()) != null) {
        routed.put(tunnel.name(), tunnel);
      }
    }
  }

  /** Makes the configured tunnels' routes those of {@code desired}. */
  synchronized void apply(List<TunnelConfig> desired) throws Exception {
    Map<String, TunnelConfig> wanted = new LinkedHashMap<>();
    desired.forEach(tunnel -> wanted.put(tunnel.name(), tunnel));
    for (TunnelConfig tunnel : List.copyOf(routed.values())) {
      if (!tunnel.equals(wanted.get(tunnel.name()))) {
        context.getRouteController().stopRoute(tunnel.routeId());
        context.removeRoute(tunnel.routeId());
        routed.remove(tunnel.name());
      }
    }
    for (TunnelConfig tunnel : wanted.values()) {
      if (!routed.containsKey(tunnel.name())) {
        add(tunnel);
      }
    }
  }

  private void add(TunnelConfig tunnel) throws Exception {
    context.addRouteFromTemplate(tunnel.routeId(), RouteNames.TUNNEL_TEMPLATE, parameters(tunnel));
    routed.put(tunnel.name(), tunnel);
    if (context.isStarted()) {
      context.getRouteController().startRoute(tunnel.routeId());
    }
  }

  /**
   * {@code tunnel} as the template's parameters: the keys of a {@code client.tunnels} entry, port 0
   * replaced by a free port so that the address can be logged and shown.
   */
  static Map<String, Object> parameters(TunnelConfig tunnel) {
    HostPort listen = FreePort.udp(tunnel.listen());
    Duration idle = tunnel.idleTimeout();
    return Map.of(
        "name", tunnel.name(),
        "connection", tunnel.connection() == null ? "" : tunnel.connection(),
        "listen", listen.toString(),
        "destination", tunnel.destination().toString(),
        "idle-timeout", idle.toMillis() + "ms",
        "max-datagrams-per-second", tunnel.maxDatagramsPerSecond(),
        "receive-buffer", tunnel.receiveBuffer(),
        "server", tunnel.server() == null ? "" : tunnel.server(),
        "credentials", tunnel.credentials() == null ? "" : tunnel.credentials());
  }
}
