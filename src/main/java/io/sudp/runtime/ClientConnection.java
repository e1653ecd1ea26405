package io.sudp.runtime;

import io.sudp.camel.ReplyDeliveryStep;
import io.sudp.client.ClientFlows;
import io.sudp.client.ReplyDelivery;
import io.sudp.client.ReverseTunnels;
import io.sudp.config.ClientConfig;
import io.sudp.destination.DestinationPolicy;
import io.sudp.destination.DestinationResolver;
import io.sudp.destination.OwnAddresses;
import io.sudp.ops.TrafficCounters;
import io.sudp.protocol.Frame;
import io.sudp.routes.RouteNames;
import io.sudp.transport.ClientSecurity;
import io.sudp.transport.SharedVertx;
import io.sudp.transport.WsClient;
import io.sudp.udp.DatagramSockets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.ServiceStatus;

/**
 * One WebSocket connection of a client: to one server with one set of credentials, shared or of a
 * name tunnels give, with the flows of the tunnels that use it and its return route ({@code
 * sudp-client-downstream}, numbered for connections after the first) that delivers their replies.
 * Each is a session of its own on the server.
 */
final class ClientConnection {
  /** How long a reverse tunnel's destination name may take to resolve. */
  private static final Duration RESOLVE_TIMEOUT = Duration.ofSeconds(5);

  private final String server;
  private final String name;
  private final WsClient socket;
  private final ClientFlows flows;
  private final ReverseTunnels reverse;
  private final String socketBean;
  private final String deliveryBean;
  private final String routeId;

  /**
   * @param index 0 for the client's own server and credentials, then 1, 2, ...
   * @param name the connection's name, which tunnels give to have it; null for the shared one
   * @param flowIds the client's flow numbering, shared so that flow ids are unique in the client
   */
  ClientConnection(
      int index,
      String server,
      String name,
      ClientSecurity security,
      ClientConfig config,
      SharedVertx vertx,
      TrafficCounters counters,
      AtomicInteger flowIds,
      BiConsumer<String, Object> bind) {
    this.server = server;
    this.name = name;
    socket =
        new WsClient(
            vertx.vertx(),
            server,
            config.queue(),
            config.keepalive(),
            config.reconnect(),
            security,
            config.proxy().proxyFor(server),
            counters);
    socket.drainOnClose(config.drainTimeout());
    flows = new ClientFlows(socket, flowIds);
    reverse =
        index == 0 && !config.reverse().tunnels().isEmpty()
            ? reverseTunnels(config, vertx, counters)
            : ReverseTunnels.none(socket, counters);
    socket.onReconnect(
        version -> {
          List<Frame> frames = new ArrayList<>(flows.reopenFrames());
          frames.addAll(reverse.listenFrames(version));
          return frames;
        });
    socketBean = RouteNames.clientSocket(index);
    deliveryBean = RouteNames.replyDelivery(index);
    routeId = RouteNames.connectionRoute(index);
    bind.accept(socketBean, socket);
    bind.accept(
        deliveryBean,
        new ReplyDeliveryStep(
            new ReplyDelivery(flows, reverse, counters, socket::serverStartedOver)));
  }

  /**
   * The reverse tunnels this connection offers: the client's own, on the connection to its own
   * server and credentials only.
   */
  private ReverseTunnels reverseTunnels(
      ClientConfig config, SharedVertx vertx, TrafficCounters counters) {
    DatagramSockets sockets = DatagramSockets.on(vertx.vertx().nettyEventLoopGroup());
    return new ReverseTunnels(
        config.reverse().tunnels(),
        new DestinationPolicy(config.reverse().allow(), OwnAddresses.ofInterfaces()),
        config.reverse().maxFlows(),
        socket,
        counters,
        sockets,
        new DestinationResolver(sockets, List.of(), RESOLVE_TIMEOUT));
  }

  /**
   * Adds the return route: at once before the context starts (it starts with the others) or once it
   * runs (started at once); while the context makes and starts its routes, when it has started, for
   * a route added then would be neither made nor started. Until the route runs, the connection is
   * not made and frames wait in its queue.
   */
  void addRoute(CamelContext context) throws Exception {
    ServiceStatus status = context.getStatus();
    if (status == ServiceStatus.Initializing
        || status == ServiceStatus.Initialized
        || status == ServiceStatus.Starting) {
      context.addStartupListener(
          new ExtendedStartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {}

            @Override
            public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted)
                throws Exception {
              addRoute(started);
            }
          });
      return;
    }
    context.addRouteFromTemplate(
        routeId,
        RouteNames.CONNECTION_TEMPLATE,
        Map.of("socket", socketBean, "delivery", deliveryBean));
    if (context.isStarted()) {
      context.getRouteController().startRoute(routeId);
    }
  }

  /** Stops and removes the return route, which closes the connection, and unbinds its beans. */
  Void removeRoute(CamelContext context) throws Exception {
    context.getRouteController().stopRoute(routeId);
    context.removeRoute(routeId);
    context.getRegistry().unbind(socketBean);
    context.getRegistry().unbind(deliveryBean);
    return null;
  }

  String server() {
    return server;
  }

  /** The name tunnels give to have this connection; null for the server's shared one. */
  String name() {
    return name;
  }

  WsClient socket() {
    return socket;
  }

  ClientFlows flows() {
    return flows;
  }

  ReverseTunnels reverse() {
    return reverse;
  }

  /** The registry name of the socket, for the tunnel routes' {@code sudp:} endpoint. */
  String socketBean() {
    return socketBean;
  }
}
