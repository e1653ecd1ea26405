package io.sudp.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.sudp.camel.DatagramBurstDecoders;
import io.sudp.camel.EchoReplyStep;
import io.sudp.config.HostPort;
import io.sudp.config.SudpConfig;
import io.sudp.ops.RateLimitedLog;
import io.sudp.routes.RouteNames;
import io.sudp.transport.SharedVertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running parts of one configuration (server, client, echo) and what they need from a Camel
 * context: beans to bind, route files to load, templated routes to add, housekeeping to start.
 * SUDP's own process and a Camel application that embeds SUDP both run them this way.
 */
public final class TunnelParts implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TunnelParts.class);
  private final RateLimitedLog systemWarnings = new RateLimitedLog(LOG);
  private static final long STATUS_INTERVAL_MS = 60_000;

  /**
   * Interface addresses come and go (DHCP, containers), and file descriptors are opened by more
   * than the server's sockets: flows are judged and bounded against a fresh view of both.
   */
  private static final long SYSTEM_INTERVAL_MS = 5_000;

  private final SharedVertx vertx;
  private final ServerAssembly server;
  private final ClientAssembly client;
  private final HostPort echoListen;
  private final List<String> routeResources = new ArrayList<>();
  private volatile JmxRegistrations hostMbeans;

  /**
   * Creates the parts of {@code config} that {@code roles} ask for, binding their beans with {@code
   * bind} (a Camel registry's, or camel-main's).
   */
  public TunnelParts(SudpConfig config, Set<Role> roles, BiConsumer<String, Object> bind)
      throws IOException {
    // A client alone has one WebSocket connection, a serial path anyway: one event loop runs its
    // UDP listeners and the connection, so a datagram never changes threads.
    vertx =
        new SharedVertx(
            roles.equals(EnumSet.of(Role.CLIENT))
                ? 1
                : Math.max(1, Runtime.getRuntime().availableProcessors()));
    bind.accept(RouteNames.VERTX, vertx);
    bind.accept(RouteNames.EVENT_LOOPS, vertx.eventLoopGroup());
    bind.accept(RouteNames.DATAGRAM_BURSTS, new DatagramBurstDecoders());
    server =
        roles.contains(Role.SERVER) && config.server() != null
            ? new ServerAssembly(config.server(), vertx, bind)
            : null;
    if (server != null) {
      routeResources.add("classpath:sudp/routes/server.camel.yaml");
    }
    client =
        roles.contains(Role.CLIENT) && config.client() != null
            ? new ClientAssembly(config.client(), vertx, bind)
            : null;
    if (client != null) {
      bind.accept(RouteNames.CLIENT, client);
    }
    echoListen =
        roles.contains(Role.ECHO) && config.echo() != null
            ? FreePort.udp(config.echo().listen())
            : null;
    if (echoListen != null) {
      bind.accept(RouteNames.ECHO_REPLY, new EchoReplyStep());
      routeResources.add("classpath:sudp/routes/echo.camel.yaml");
    }
  }

  /** The route files of these parts, to load into the context. */
  public List<String> routeResources() {
    return List.copyOf(routeResources);
  }

  /** Adds the routes made from templates (tunnels, echo), before or after the context starts. */
  public void addTemplatedRoutes(CamelContext context) throws Exception {
    if (client != null) {
      client.addTunnelRoutes(context);
    }
    if (echoListen != null) {
      context.addRouteFromTemplate(
          RouteNames.ECHO_ROUTE,
          RouteNames.ECHO_TEMPLATE,
          Map.of("host", echoListen.uriHost(), "port", echoListen.port()));
    }
  }

  /**
   * Once the routes run: the health check registered, the client's housekeeping, the server's own
   * addresses renewed, its rates sampled every second and its certificate files watched, a status
   * line logged when it changed.
   */
  public void startHousekeeping(CamelContext context) {
    LOG.info(
        "sockets on {} event loops ({})",
        vertx.eventLoops(),
        vertx.nativeTransport() ? "native epoll" : "Java NIO");
    if (echoListen != null) {
      LOG.info("echo service on udp {}", echoListen);
    }
    TunnelHealthCheck.register(context, server, client);
    if (client != null) {
      client.startHousekeeping(context, vertx.vertx(), LOG);
    }
    if (server != null) {
      server.watchCertificate(vertx.vertx());
      vertx.vertx().setPeriodic(SYSTEM_INTERVAL_MS, id -> refreshFromSystem());
      vertx.vertx().setPeriodic(1_000, id -> server.sampleRates());
    }
    String[] last = {""};
    vertx
        .vertx()
        .setPeriodic(
            STATUS_INTERVAL_MS,
            id -> {
              String status = status();
              if (!status.equals(last[0])) {
                LOG.info("{}", status);
                last[0] = status;
              }
            });
  }

  /** Listing interfaces and descriptors blocks: on a worker, not the timer's event loop. */
  private void refreshFromSystem() {
    vertx
        .vertx()
        .executeBlocking(
            () -> {
              server.refreshFromSystem();
              return null;
            })
        .onFailure(
            e ->
                systemWarnings.warn(
                    "own addresses not renewed, the last ones stay: {}", e.toString()));
  }

  /** Ready to carry traffic: the server listens and the client is connected to its server. */
  public boolean ready() {
    return (server == null || server.socket().boundPort() > 0)
        && (client == null || client.connected());
  }

  /** One line per running part: connections, flows, traffic and drops. */
  public String status() {
    List<String> parts = new ArrayList<>();
    if (server != null) {
      parts.add(server.status());
    }
    if (client != null) {
      parts.add(client.status().line());
    }
    return String.join(" | ", parts);
  }

  /** Adds each running part's status to {@code status}. */
  void addStatus(JsonObject status) {
    if (server != null) {
      status.put("server", server.statusJson());
    }
    if (client != null) {
      status.put("client", client.status().json());
    }
  }

  /** The meters of the parts in {@code registry} (if any) and their MBeans in {@code mbeans}. */
  void publish(CamelContext context, MeterRegistry registry, JmxRegistrations mbeans) {
    publish(context, registry, mbeans, server, client);
  }

  private static void publish(
      CamelContext context,
      MeterRegistry registry,
      JmxRegistrations mbeans,
      ServerAssembly server,
      ClientAssembly client) {
    if (server != null) {
      if (registry != null) {
        server.publish(registry);
      }
      mbeans.register("Server", new ServerControl(server));
    }
    if (client != null) {
      if (registry != null) {
        client.publish(registry);
      }
      mbeans.register("Client", new ClientControl(client, context));
    }
  }

  /**
   * In a host application, once the routes run: the parts' {@code sudp_*} meters in the host's
   * Micrometer registry (bound as {@code metricsRegistry}, as camel-micrometer binds it; none, no
   * meters) and their MBeans {@code io.sudp:type=Server|Client,name=INSTANCE}, removed by {@link
   * #close}.
   */
  public void publishIn(CamelContext context, String instance) {
    hostMbeans = publishInHost(context, instance, server, client);
  }

  /**
   * As {@link #publishIn}, for {@code server} and {@code client} (either may be null); the MBeans
   * are removed by closing what is returned.
   */
  static JmxRegistrations publishInHost(
      CamelContext context, String instance, ServerAssembly server, ClientAssembly client) {
    JmxRegistrations mbeans = new JmxRegistrations(instance);
    publish(
        context,
        context.getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class),
        mbeans,
        server,
        client);
    return mbeans;
  }

  public ServerAssembly server() {
    return server;
  }

  public ClientAssembly client() {
    return client;
  }

  SharedVertx vertx() {
    return vertx;
  }

  @Override
  public void close() {
    JmxRegistrations published = hostMbeans;
    if (published != null) {
      published.close();
    }
    vertx.close();
  }
}
