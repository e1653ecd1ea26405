package io.sudp.runtime;

import io.sudp.camel.FrameDecoding;
import io.sudp.client.ClientFlows;
import io.sudp.client.ClientTunnel;
import io.sudp.client.ReplyDelivery;
import io.sudp.config.ClientConfig;
import io.sudp.config.TunnelConfig;
import io.sudp.ops.TrafficCounters;
import io.sudp.transport.SharedVertx;
import io.sudp.transport.WsClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.vertx.core.Vertx;
import java.util.HashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.spi.SupervisingRouteController;
import org.apache.camel.main.Main;
import org.slf4j.Logger;

/** The client's beans and one route per tunnel, named as {@code routes/client.camel.yaml} expects. */
public final class ClientAssembly {
  private final TrafficCounters counters = new TrafficCounters();
  private final WsClient socket;
  private final ClientFlows flows;
  private final List<ClientTunnel> tunnels = new ArrayList<>();
  private final ClientConfig config;

  ClientAssembly(ClientConfig config, SharedVertx vertx, Main main) {
    this.config = config;
    socket = new WsClient(vertx.vertx(), config.server(), config.queue(), config.keepalive(),
        config.reconnect(), config.security(), counters);
    flows = new ClientFlows(socket, config.idleTimeout().toNanos());
    socket.onReconnect(flows::reopenFrames);
    main.bind("sudpClientSocket", socket);
    main.bind("sudpClientFraming", new FrameDecoding(counters));
    main.bind("sudpReplyDelivery", new ReplyDelivery(flows, counters, socket::serverStartedOver));
    for (TunnelConfig tunnel : config.tunnels()) {
      ClientTunnel processor = new ClientTunnel(tunnel.name(), tunnel.destination(), flows, counters);
      tunnels.add(processor);
      main.bind("sudpTunnel-" + tunnel.name(), processor);
    }
  }

  /** Adds one route per tunnel from the {@code sudp-client-tunnel} template. */
  void addTunnelRoutes(CamelContext context) throws Exception {
    for (TunnelConfig tunnel : config.tunnels()) {
      context.addRouteFromTemplate("sudp-client-" + tunnel.name(), "sudp-client-tunnel",
          Map.of("host", tunnel.listen().uriHost(), "port", tunnel.listen().port(),
              "tunnel", "sudpTunnel-" + tunnel.name()));
    }
  }

  /**
   * One line per tunnel when it listens, and one when it cannot (its port taken, say): the route
   * controller retries it in the background while the other tunnels run.
   */
  void watchTunnels(CamelContext context, Vertx vertx, Logger log) {
    Map<String, Boolean> listening = new HashMap<>();
    Runnable check = () -> {
      if (context.isStopping() || !context.isStarted()) {
        return;
      }
      for (TunnelConfig tunnel : config.tunnels()) {
        String route = "sudp-client-" + tunnel.name();
        boolean started = context.getRouteController().getRouteStatus(route) == ServiceStatus.Started;
        Throwable error = started ? null : context.getRouteController()
            .adapt(SupervisingRouteController.class).getRestartException(route);
        if ((!started && error == null) || Boolean.valueOf(started).equals(listening.get(route))) {
          continue; // still starting, or nothing changed
        }
        listening.put(route, started);
        if (started) {
          log.info("tunnel {}: udp {} -> {} via {}", tunnel.name(), tunnel.listen(),
              tunnel.destination(), config.server());
        } else {
          log.warn("tunnel {}: cannot listen on udp {}: {}; retrying", tunnel.name(),
              tunnel.listen(), rootMessage(error));
        }
      }
    };
    check.run();
    vertx.setPeriodic(1_000, id -> check.run());
  }

  private static String rootMessage(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getMessage() != null ? cause.getMessage() : cause.toString();
  }

  public TrafficCounters counters() {
    return counters;
  }

  public WsClient socket() {
    return socket;
  }

  public ClientFlows flows() {
    return flows;
  }

  long idleSweepMillis() {
    return Math.max(100, config.idleTimeout().toMillis() / 4);
  }

  String status() {
    long rtt = socket.keepaliveRttMicros();
    String error = socket.lastError();
    return "client: " + (socket.isConnected() ? "connected" : "disconnected")
        + (error != null ? " (" + error + ")" : "")
        + (rtt >= 0 ? " (rtt " + rtt + " us)" : "") + ", " + flows.size() + " flows, queue "
        + socket.queueDepth() + ", " + counters.summary();
  }
}
