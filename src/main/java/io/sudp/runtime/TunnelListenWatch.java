package io.sudp.runtime;

import io.sudp.config.TunnelConfig;
import io.sudp.ops.Failures;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.spi.SupervisingRouteController;
import org.slf4j.Logger;

/**
 * Says in the log when a tunnel listens, and when it cannot (its port taken, say) while the route
 * controller retries it in the background: one line each time, checked every second.
 */
final class TunnelListenWatch {
  private final CamelContext context;
  private final AttachedTunnels tunnels;
  private final Logger log;
  private final Map<String, TunnelConfig> listening = new HashMap<>();
  private final Map<String, TunnelConfig> failing = new HashMap<>();

  TunnelListenWatch(CamelContext context, AttachedTunnels tunnels, Logger log) {
    this.context = context;
    this.tunnels = tunnels;
    this.log = log;
  }

  /** Checks now, then every second on {@code vertx}'s timer. */
  void start(Vertx vertx) {
    check();
    vertx.setPeriodic(1_000, id -> check());
  }

  private void check() {
    if (context.isStopping() || !context.isStarted()) {
      return;
    }
    List<RunningTunnel> running = tunnels.running();
    List<String> names = running.stream().map(RunningTunnel::name).toList();
    listening.keySet().retainAll(names);
    failing.keySet().retainAll(names);
    for (RunningTunnel each : running) {
      TunnelConfig tunnel = each.config();
      if (tunnels.routeStatus(each) == ServiceStatus.Started) {
        failing.remove(tunnel.name());
        if (!tunnel.equals(listening.put(tunnel.name(), tunnel))) {
          log.info(
              "tunnel {}: udp {} -> {} via {}{}",
              tunnel.name(),
              each.listen(),
              tunnel.destination(),
              each.server(),
              tunnel.connection() == null ? "" : " (connection " + tunnel.connection() + ")");
        }
        continue;
      }
      Throwable error = restartError(each.routeId());
      if (error != null && !tunnel.equals(failing.put(tunnel.name(), tunnel))) {
        listening.remove(tunnel.name());
        log.warn(
            "tunnel {}: cannot listen on udp {}: {}; retrying",
            tunnel.name(),
            each.listen(),
            Failures.describe(error));
      }
    }
  }

  /** Why the route controller could not start {@code route} yet; null if it is not retrying it. */
  private Throwable restartError(String route) {
    return !context.getRouteController().isSupervising()
        ? null
        : context
            .getRouteController()
            .adapt(SupervisingRouteController.class)
            .getRestartException(route);
  }
}
