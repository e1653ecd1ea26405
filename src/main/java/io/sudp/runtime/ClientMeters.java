package io.sudp.runtime;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sudp.ops.ConnectFailure;
import io.sudp.ops.TrafficCounters;
import io.sudp.ops.TunnelMetrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The client's meters: its counters and gauges, and each tunnel's traffic and flows, tagged with
 * the tunnel's name and removed with the tunnel. Tunnels that start before the meters are published
 * are published with them.
 */
final class ClientMeters {
  private final TrafficCounters counters;
  private final ClientConnections connections;
  private final Map<String, List<Meter>> tunnelMeters = new HashMap<>();
  private MeterRegistry registry;
  private TunnelMetrics metrics;

  ClientMeters(TrafficCounters counters, ClientConnections connections) {
    this.counters = counters;
    this.connections = connections;
  }

  /** Publishes the client's meters, and those of the tunnels {@code running} then. */
  synchronized void publish(MeterRegistry registry, Supplier<List<RunningTunnel>> running) {
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
                () -> {
                  long micros = connections.primaryRttMicros();
                  return micros < 0 ? Double.NaN : micros / 1e6;
                })
            .count(
                "sudp.reconnects",
                "connections made again after one was lost",
                connections,
                ClientConnections::reconnects);
    for (ConnectFailure cause : ConnectFailure.values()) {
      metrics.count(
          "sudp.connect.failures",
          "attempts to connect that failed, by cause (proxy, network, tls, upgrade)",
          connections,
          all -> all.connectFailures(cause),
          "cause",
          cause.label());
    }
    for (ClientConnection connection : connections.all()) {
      connection
          .reverse()
          .trafficByTunnel()
          .forEach((name, traffic) -> metrics.traffic("reverse_tunnel", name, traffic));
    }
    this.registry = registry;
    running.get().forEach(this::tunnelStarted);
  }

  /** Publishes the meters of a tunnel that started, once the client's are. */
  synchronized void tunnelStarted(RunningTunnel tunnel) {
    String name = tunnel.name();
    if (metrics == null || tunnelMeters.containsKey(name)) {
      return;
    }
    List<Meter> meters =
        new ArrayList<>(metrics.traffic("tunnel", name, tunnel.tunnel().traffic()));
    meters.add(
        metrics.tunnelGauge(
            "sudp.tunnel.flows", "flows of this tunnel", name, tunnel.tunnel()::flowCount));
    tunnelMeters.put(name, meters);
  }

  /** Removes the meters of a tunnel that stopped. */
  synchronized void tunnelStopped(String name) {
    List<Meter> meters = tunnelMeters.remove(name);
    if (meters != null) {
      meters.forEach(registry::remove);
    }
  }
}
