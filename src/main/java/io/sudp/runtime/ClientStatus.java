package io.sudp.runtime;

import io.sudp.ops.TrafficCounters;
import io.sudp.ops.TrafficRates;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * What a client shows of itself: the status line (log, {@code sudp status}), the status document
 * (management port, live view) and the tunnel lines of JMX, with the per-second rates they carry.
 */
final class ClientStatus {
  private final ClientConnections connections;
  private final AttachedTunnels tunnels;
  private final TrafficCounters counters;
  private final TrafficRates rates;

  ClientStatus(ClientConnections connections, AttachedTunnels tunnels, TrafficCounters counters) {
    this.connections = connections;
    this.tunnels = tunnels;
    this.counters = counters;
    this.rates = TrafficRates.of(counters);
  }

  /** Samples the per-second rates of the client and of each tunnel; about once a second. */
  void sampleRates() {
    rates.sample();
    tunnels.running().forEach(tunnel -> tunnel.tunnel().traffic().sample());
  }

  /**
   * One line per tunnel: name, route state, listen address, destination, flows; then one per
   * reverse tunnel: server port, destination and what the server answered.
   */
  List<String> tunnelLines() {
    List<String> lines = new ArrayList<>(forwardTunnelLines());
    connections.all().forEach(connection -> lines.addAll(connection.reverse().describe()));
    return lines;
  }

  private List<String> forwardTunnelLines() {
    return tunnels.running().stream()
        .map(
            tunnel ->
                tunnel.name()
                    + ": "
                    + tunnels.routeStatus(tunnel)
                    + ", udp "
                    + tunnel.listen()
                    + " -> "
                    + tunnel.config().destination()
                    + ", "
                    + tunnel.tunnel().flowCount()
                    + " flows")
        .toList();
  }

  JsonObject json() {
    JsonArray tunnelArray = new JsonArray();
    for (RunningTunnel tunnel : tunnels.running()) {
      tunnelArray.add(
          new JsonObject()
              .put("name", tunnel.name())
              .put("state", String.valueOf(tunnels.routeStatus(tunnel)))
              .put("listen", tunnel.listen().toString())
              .put("destination", tunnel.config().destination().toString())
              .put("flows", tunnel.tunnel().flowCount())
              .put("traffic", tunnel.tunnel().traffic().toJson()));
    }
    JsonArray reverseArray = new JsonArray();
    connections.all().forEach(connection -> reverseArray.addAll(connection.reverse().toJson()));
    ClientConnection primary = connections.primary();
    return new JsonObject()
        .put("connected", connections.allConnected())
        .put("server", primary == null ? null : primary.server())
        .put("lastError", connections.lastError())
        .put("keepaliveRttMicros", connections.primaryRttMicros())
        .put("connections", connections.toJson())
        .put("tunnels", tunnelArray)
        .put("reverseTunnels", reverseArray)
        .put("flows", connections.flowCount())
        .put("queue", connections.queueDepth())
        .put("reconnects", connections.reconnects())
        .put("counts", counters.toJson())
        .put("rates", rates.toJson());
  }

  /** The status line: connection, tunnels with their addresses, flows, queue, counts. */
  String line() {
    long rtt = connections.primaryRttMicros();
    String error = connections.lastError();
    StringBuilder tunnelList = new StringBuilder();
    for (RunningTunnel tunnel : tunnels.running()) {
      tunnelList
          .append(tunnelList.length() == 0 ? "" : " ")
          .append(tunnel.name())
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
        + tunnelList
        + ", "
        + connections.flowCount()
        + " flows, queue "
        + connections.queueDepth()
        + ", "
        + counters.summary();
  }
}
