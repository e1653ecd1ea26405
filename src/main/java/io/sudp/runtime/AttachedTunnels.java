package io.sudp.runtime;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;

/**
 * The tunnels a client carries now, by name, whoever declared them: the configuration, an instance
 * file or a user's own route. What status, meters and housekeeping iterate over.
 */
final class AttachedTunnels {
  /**
   * Replaced (never changed) on every change: read without a lock, since the readers include event
   * loops that stopping a route waits for.
   */
  private volatile Map<String, RunningTunnel> byName = Map.of();

  private volatile CamelContext context;

  void bindTo(CamelContext context) {
    this.context = context;
  }

  /**
   * Adds {@code tunnel}.
   *
   * @throws IllegalArgumentException if another route carries a tunnel of that name
   */
  synchronized void add(RunningTunnel tunnel) {
    RunningTunnel other = byName.get(tunnel.name());
    if (other != null) {
      throw new IllegalArgumentException(
          "tunnel name '" + tunnel.name() + "' is already the name of route " + other.routeId());
    }
    Map<String, RunningTunnel> more = new LinkedHashMap<>(byName);
    more.put(tunnel.name(), tunnel);
    byName = more;
  }

  /** Removes the tunnel named {@code name} if {@code routeId} carries it; returns it, or null. */
  synchronized RunningTunnel remove(String name, String routeId) {
    RunningTunnel found = byName.get(name);
    if (found == null || !found.routeId().equals(routeId)) {
      return null;
    }
    Map<String, RunningTunnel> fewer = new LinkedHashMap<>(byName);
    fewer.remove(name);
    byName = fewer;
    return found;
  }

  List<RunningTunnel> running() {
    return List.copyOf(byName.values());
  }

  /** The running tunnel named {@code name}, or null. */
  RunningTunnel get(String name) {
    return byName.get(name);
  }

  /** The state of {@code tunnel}'s route: started, stopped (by an operator), or retried. */
  ServiceStatus routeStatus(RunningTunnel tunnel) {
    CamelContext current = context;
    return current == null ? null : current.getRouteController().getRouteStatus(tunnel.routeId());
  }
}
