package io.sudp.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.sudp.camel.FrameDecoding;
import io.sudp.camel.ServerNatStep;
import io.sudp.config.HostPort;
import io.sudp.config.ServerConfig;
import io.sudp.config.ServerTls;
import io.sudp.config.UnusableCertificate;
import io.sudp.destination.OwnAddresses;
import io.sudp.ops.Traffic;
import io.sudp.ops.TrafficCounters;
import io.sudp.ops.TrafficRates;
import io.sudp.ops.TunnelMetrics;
import io.sudp.routes.RouteNames;
import io.sudp.security.Authenticator;
import io.sudp.security.Credentials;
import io.sudp.server.FlowLimits;
import io.sudp.server.ServerNat;
import io.sudp.server.ServerSessions;
import io.sudp.server.UserLimits;
import io.sudp.transport.QueueBudget;
import io.sudp.transport.SharedVertx;
import io.sudp.transport.WsServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Map;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The server's beans, named as {@code routes/server.camel.yaml} refers to them. */
public final class ServerAssembly {
  private static final Logger LOG = LoggerFactory.getLogger(ServerAssembly.class);

  private final TrafficCounters counters = new TrafficCounters();
  private final TrafficRates rates = TrafficRates.of(counters);
  private final OwnAddresses ownAddresses = OwnAddresses.ofInterfaces();
  private final FlowCapacity capacity = FlowCapacity.ofThisProcess();
  private final WsServer socket;
  private final ServerSessions sessions;
  private final ServerNat nat;
  private Authenticator authenticator;
  private CertificateWatch certificates;

  ServerAssembly(ServerConfig config, SharedVertx vertx, BiConsumer<String, Object> bind)
      throws IOException {
    sessions = new ServerSessions(vertx.vertx(), config.queue(), config.resumeTimeout(), counters);
    socket =
        new WsServer(
            vertx.vertx(),
            vertx.eventLoops(),
            config.listen().host(),
            config.listen().port(),
            config.path(),
            config.keepalive(),
            sessions,
            counters);
    QueueBudget queueBudget =
        QueueBudget.of(
            config.queueTotalBytes() > 0
                ? config.queueTotalBytes()
                : Runtime.getRuntime().maxMemory() / 4,
            config.maxConnections());
    nat =
        new ServerNat(
            vertx.vertx(),
            config.allow(),
            config.users(),
            ownAddresses,
            new FlowLimits(
                config.maxFlowsPerConnection(),
                maxFlows(config, capacity),
                config.maxResolving(),
                config.resolveTimeout(),
                config.idleTimeout()),
            queueBudget,
            config.dnsServers().stream()
                .map(server -> new InetSocketAddress(server.host(), server.port()))
                .toList(),
            counters,
            config.reverse());
    nat.reclaimFlowsWith(sessions::endLongestWaiting);
    nat.checkDescriptorsWith(() -> capacity.roomForFlow(tcpConnections(), nat.flowCount()));
    sessions.limit(
        config.maxConnections(),
        user -> {
          UserLimits limits = config.users().get(user);
          return limits == null ? 0 : limits.maxConnections();
        },
        queueBudget);
    socket.limitConnections(
        config.maxConnections(),
        config.maxHandshakes(),
        config.handshakeTimeout(),
        QueueBudget.pool(Runtime.getRuntime().maxMemory() / 16));
    socket.drainOnClose(config.drainTimeout());
    socket.identifyClients(config.clientAddress());
    if (config.tls() != null) {
      ServerTls tls = config.tls();
      try {
        certificates = new CertificateWatch(tls);
      } catch (UnusableCertificate e) {
        throw new IOException(e.getMessage(), e);
      }
      LOG.info("server.tls: certificate {}", certificates.inService().describe());
      String expiring = ServerTls.expiryWarning(certificates.inService().expires(), Instant.now());
      if (expiring != null) {
        LOG.warn(expiring);
      }
      socket.useTls(
          certificates.keyCertOptions(),
          tls.clientCa() == null
              ? null
              : new PemTrustOptions().addCertPath(tls.clientCa().toString()));
    }
    if (config.auth() != null) {
      authenticator =
          new Authenticator(
              vertx.vertx(), new Credentials(config.auth().htpasswd(), config.auth().tokensFile()));
      socket.requireAuthentication(authenticator);
    } else if (!HostPort.isLoopback(config.listen().host())) {
      LOG.warn(
          "no server.auth: anyone who can reach {} can use this tunnel server", config.listen());
    }
    bind.accept(RouteNames.SERVER_SOCKET, socket);
    bind.accept(RouteNames.SERVER_FRAMING, new FrameDecoding());
    bind.accept(RouteNames.SERVER_NAT, new ServerNatStep(nat));
    bind.accept(RouteNames.SERVER_REPLIES, nat);
  }

  /**
   * The server's flow limit: what this process's file descriptors and heap hold beside every
   * connection the server allows, or {@code max-flows} where it is set, but never more than the
   * file descriptors hold: flows must run out before the process does. Said at start, with a
   * warning when it is small or less than configured.
   */
  private static int maxFlows(ServerConfig config, FlowCapacity capacity) {
    long connections = (long) config.maxConnections() + config.maxHandshakes();
    int byDescriptors = capacity.byDescriptors(connections);
    int flows =
        config.maxFlows() > 0
            ? Math.min(config.maxFlows(), byDescriptors)
            : capacity.flows(connections);
    if (config.maxFlows() > byDescriptors) {
      LOG.warn(
          "server.max-flows {}: the file descriptors left beside max-connections and"
              + " max-handshakes hold only {} flows; using {} (raise ulimit -n or LimitNOFILE)",
          config.maxFlows(),
          byDescriptors,
          flows);
    } else if (flows < 1024) {
      LOG.warn(
          "this server can hold only {} flows (file descriptor limit or heap): raise the"
              + " limit (ulimit -n, LimitNOFILE) or the heap (-Xmx)",
          flows);
    }
    if (connections > capacity.freeDescriptors()) {
      LOG.warn(
          "max-connections + max-handshakes ({}) are more than the {} file descriptors free:"
              + " connections past that fail (raise ulimit -n or LimitNOFILE)",
          connections,
          capacity.freeDescriptors());
    }
    LOG.info(
        "flow limit: {} flows on the server, {} per connection",
        flows,
        config.maxFlowsPerConnection());
    return flows;
  }

  /** Publishes the server's counters and gauges as meters. */
  void publish(MeterRegistry registry) {
    TunnelMetrics metrics =
        new TunnelMetrics(registry, "server")
            .counters(counters)
            .gauge("sudp.connections", "WebSocket connections open", socket::connectionCount)
            .gauge("sudp.sessions", "client sessions, connected or resumable", sessions::size)
            .gauge(
                "sudp.sessions.waiting",
                "client sessions waiting for their client to resume",
                sessions::waitingCount)
            .gauge("sudp.handshakes", "TCP connections not upgraded yet", socket::handshakeCount)
            .gauge("sudp.flows", "flows with a UDP socket", nat::flowCount)
            .gauge("sudp.flows.max", "the server's flow limit (max-flows)", nat::maxFlows)
            .gauge("sudp.auth.failures", "failed authentications", this::authFailures)
            .gauge(
                "sudp.queue.depth",
                "frames waiting to be written, over all connections",
                socket::queueDepth);
    nat.onNewUser((user, traffic) -> metrics.traffic("user", user, traffic));
    if (certificates != null) {
      certificates.publish(metrics);
    }
  }

  /** Renewed certificate files are put in service from now on (with {@code server.tls}). */
  void watchCertificate(Vertx vertx) {
    if (certificates != null) {
      certificates.start(vertx);
    }
  }

  /** Puts the certificate files in service now if they changed and can be used (a reload). */
  void reloadCertificate() {
    if (certificates != null) {
      certificates.lookNow();
    }
  }

  /** Failed authentications so far (0 without server.auth). */
  public long authFailures() {
    return authenticator == null ? 0 : authenticator.failures();
  }

  public TrafficCounters counters() {
    return counters;
  }

  public WsServer socket() {
    return socket;
  }

  public ServerNat nat() {
    return nat;
  }

  /** The client sessions, connected or waiting to be resumed. */
  public ServerSessions sessions() {
    return sessions;
  }

  JsonObject statusJson() {
    return new JsonObject()
        .put("listening", socket.boundPort() > 0)
        .put("port", socket.boundPort())
        .put("connections", socket.connectionCount())
        .put("sessions", sessions.size())
        .put("waitingSessions", sessions.waitingCount())
        .put("handshakes", socket.handshakeCount())
        .put("flows", nat.flowCount())
        .put("maxFlows", nat.maxFlows())
        .put("queue", socket.queueDepth())
        .put("authFailures", authFailures())
        .put("counts", counters.toJson())
        .put("rates", rates.toJson())
        .put("users", users());
  }

  /** Each user seen (clients without authentication as "-") with what it carried. */
  private JsonArray users() {
    JsonArray users = new JsonArray();
    nat.trafficByUser().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            user ->
                users.add(
                    new JsonObject()
                        .put("user", user.getKey())
                        .put("traffic", user.getValue().toJson())));
    return users;
  }

  /**
   * Reads what the system says again: the interface addresses, as they come and go, and the file
   * descriptors open besides the server's sockets. Blocks, so not on an event loop.
   */
  void refreshFromSystem() {
    capacity.recount(tcpConnections(), nat.flowCount());
    ownAddresses.refresh();
  }

  private long tcpConnections() {
    return (long) socket.connectionCount() + socket.handshakeCount();
  }

  /** Samples the per-second rates; about once a second. */
  void sampleRates() {
    rates.sample();
    nat.trafficByUser().values().forEach(Traffic::sample);
  }

  String status() {
    return "server: "
        + socket.connectionCount()
        + " connections, "
        + sessions.size()
        + " sessions ("
        + sessions.waitingCount()
        + " waiting), "
        + nat.flowCount()
        + "/"
        + nat.maxFlows()
        + " flows, "
        + authFailures()
        + " auth failures, "
        + counters.summary();
  }
}
