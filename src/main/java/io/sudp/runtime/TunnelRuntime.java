package io.sudp.runtime;

import io.sudp.config.HostPort;
import io.sudp.config.SudpConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sudp.echo.EchoReply;
import io.sudp.ops.ManagedProcess;
import io.sudp.ops.ManagementServer;
import io.vertx.core.json.JsonObject;
import io.sudp.transport.SharedVertx;
import io.sudp.config.ConfigException;
import io.sudp.ops.LogSetup;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.ManagementStatisticsLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SUDP process: a camel-main application running the chosen parts of a configuration as
 * routes from {@code classpath:routes}. Used by the command line and by embedding code and tests.
 */
public final class TunnelRuntime implements AutoCloseable, ManagedProcess {
  private static final Logger LOG = LoggerFactory.getLogger(TunnelRuntime.class);
  private static final long STATUS_INTERVAL_MS = 60_000;

  private final Main main = new Main();
  private final SharedVertx vertx;
  private volatile SudpConfig config;
  private final ServerAssembly server;
  private final ClientAssembly client;
  private final boolean echo;
  private HostPort echoListen;
  private final List<Runnable> startedListeners = new ArrayList<>();
  private final AtomicBoolean housekeeping = new AtomicBoolean();
  private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private volatile ManagementServer management;
  private final long startedNanos = System.nanoTime();
  private final JmxRegistrations mbeans;

  public TunnelRuntime(SudpConfig config, Set<Role> roles) throws IOException {
    this.config = config;
    this.mbeans = new JmxRegistrations(config.name());
    // A client alone has one WebSocket connection, a serial path anyway: one event loop runs its
    // UDP listeners and the connection, so a datagram never changes threads.
    vertx = roles.equals(EnumSet.of(Role.CLIENT)) ? new SharedVertx(1) : new SharedVertx();
    main.bind("sudpEventLoops", vertx.eventLoopGroup());
    main.bind("metricsRegistry", metrics); // camel-micrometer uses the same registry
    List<String> routes = new ArrayList<>();
    server = roles.contains(Role.SERVER) && config.server() != null
        ? new ServerAssembly(config.server(), vertx, main) : null;
    if (server != null) {
      routes.add("classpath:routes/server.camel.yaml");
    }
    client = roles.contains(Role.CLIENT) && config.client() != null
        ? new ClientAssembly(config.client(), vertx, main) : null;
    if (client != null) {
      routes.add("classpath:routes/client.camel.yaml");
    }
    echo = roles.contains(Role.ECHO) && config.echo() != null;
    if (echo) {
      main.bind("sudpEchoReply", new EchoReply());
      routes.add("classpath:routes/echo.camel.yaml");
    }
    main.configure()
        .withName("sudp")
        .withRoutesIncludePattern(String.join(",", routes))
        .withExchangeFactory("pooled")
        .withMessageHistory(false)
        .withStreamCachingEnabled(false)
        .withJmxManagementStatisticsLevel(ManagementStatisticsLevel.RoutesOnly)
        .withShutdownTimeout(5)
        .withDurationMaxMessages(0);
    main.configure().setUuidGenerator("simple"); // exchange ids from a counter, not random UUIDs
    // A tunnel that cannot start (its port is taken) is retried in the background while the
    // other tunnels run.
    main.configure().routeControllerConfig()
        .withEnabled(true)
        .withIncludeRoutes("sudp-client-*")
        .withExcludeRoutes("sudp-client-downstream")
        .withBackOffDelay(2_000)
        .withBackOffMaxDelay(30_000)
        .withBackOffMultiplier(1.5)
        .withBackOffMaxAttempts(0);
    main.addMainListener(new MainListenerSupport() {
      @Override
      public void afterConfigure(BaseMainSupport ignored) {
        try {
          addTemplatedRoutes(main.getCamelContext());
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }

      @Override
      public void afterStart(BaseMainSupport ignored) {
        started();
      }
    });
  }

  private void addTemplatedRoutes(CamelContext context) throws Exception {
    if (client != null) {
      client.addTunnelRoutes(context);
    }
    if (echo) {
      echoListen = FreePort.udp(config.echo().listen());
      context.addRouteFromTemplate("sudp-echo", "sudp-echo",
          Map.of("host", echoListen.uriHost(), "port", echoListen.port()));
    }
  }

  /** Once everything runs: housekeeping, then the listeners. camel-main calls it only from run(). */
  private void started() {
    if (housekeeping.compareAndSet(false, true)) {
      startHousekeeping();
      publishManagement();
      startedListeners.forEach(Runnable::run);
    }
  }

  /** Meters and MBeans, once the parts run. */
  private void publishManagement() {
    if (server != null) {
      server.publish(metrics);
    }
    if (client != null) {
      client.publish(metrics);
    }
    mbeans.register("Instance", new InstanceControl(config.name(), this));
    if (server != null) {
      mbeans.register("Server", new ServerControl(server));
    }
    if (client != null) {
      mbeans.register("Client", new ClientControl(client, main.getCamelContext()));
    }
  }

  /**
   * Binds the management port before anything else starts: a port taken by another instance on
   * this host stops the start with a clear message instead of leaving it half running.
   */
  private void openManagement() {
    if (config.management() == null) {
      return;
    }
    HostPort listen = config.management().listen();
    try {
      management = new ManagementServer(vertx.vertx(), listen.host(), listen.port(), metrics,
          this, config.management().jolokia());
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalStateException("management.listen " + listen + ": " + cause.getMessage()
          + (cause instanceof java.net.BindException
              ? " (another instance on this host? give each its own management port)" : ""), e);
    }
  }

  @Override
  public boolean ready() {
    return (server == null || server.socket().boundPort() > 0)
        && (client == null || client.socket().isConnected());
  }

  /** The management port actually bound, or -1 without one. */
  public int managementPort() {
    ManagementServer current = management;
    return current == null ? -1 : current.port();
  }

  private void startHousekeeping() {
    if (echo) {
      LOG.info("echo service on udp {}", echoListen);
    }
    if (client != null) {
      client.watchTunnels(main.getCamelContext(), vertx.vertx(), LOG);
      client.watchInstanceFiles(main.getCamelContext(), vertx.vertx(), LOG);
      vertx.vertx().setPeriodic(client.idleSweepMillis(), id -> client.flows().expireIdle());
    }
    String[] last = {""};
    vertx.vertx().setPeriodic(STATUS_INTERVAL_MS, id -> {
      String status = status();
      if (!status.equals(last[0])) {
        LOG.info("{}", status);
        last[0] = status;
      }
    });
  }

  /** Runs {@code listener} once every route has started. */
  public void onStarted(Runnable listener) {
    startedListeners.add(listener);
  }

  public long uptimeSeconds() {
    return (System.nanoTime() - startedNanos) / 1_000_000_000L;
  }

  /** Everything the status command shows, by part, with the process's uptime. */
  @Override
  public JsonObject statusJson() {
    JsonObject status = new JsonObject()
        .put("name", config.name())
        .put("pid", ProcessHandle.current().pid())
        .put("uptimeSeconds", uptimeSeconds());
    if (server != null) {
      status.put("server", server.statusJson());
    }
    if (client != null) {
      status.put("client", client.statusJson());
    }
    return status;
  }

  @Override
  public String status() {
    List<String> parts = new ArrayList<>();
    if (server != null) {
      parts.add(server.status());
    }
    if (client != null) {
      parts.add(client.status());
    }
    return String.join(" | ", parts);
  }

  /**
   * Re-reads {@code file} and applies what can change while running: tunnels (added, removed,
   * changed; the others keep their flows) and the log level. Other changed settings are named in
   * the log as needing a restart. A file that does not validate changes nothing.
   */
  public synchronized void reload(Path file) {
    SudpConfig next;
    try {
      next = SudpConfig.load(file);
    } catch (ConfigException e) {
      LOG.warn("reload of {} rejected; the running configuration stays:", file);
      e.problems().forEach(problem -> LOG.warn("  {}", problem));
      return;
    }
    SudpConfig current = config;
    List<String> needRestart = new ArrayList<>();
    try {
      if (client != null && next.client() != null) {
        needRestart.addAll(client.reload(main.getCamelContext(), next.client()));
      } else if (!Objects.equals(current.client(), next.client())) {
        needRestart.add("client");
      }
    } catch (Exception e) {
      LOG.warn("reload of {}: tunnels not applied: {}", file, e.toString());
    }
    if (!Objects.equals(current.server(), next.server())) {
      needRestart.add("server");
    }
    if (!Objects.equals(current.management(), next.management())) {
      needRestart.add("management");
    }
    if (!Objects.equals(current.echo(), next.echo())) {
      needRestart.add("echo");
    }
    LogSetup.setLevel(next.logging().level());
    if (!Objects.equals(current.logging().withLevel("info"), next.logging().withLevel("info"))) {
      needRestart.add("logging (other than level)");
    }
    config = next;
    LOG.info("reloaded {}{}", file, needRestart.isEmpty() ? ""
        : "; changed but only applied by a restart: " + String.join(", ", needRestart));
  }

  /** Starts everything and returns; {@link #close} stops it. */
  public void start() throws Exception {
    openManagement();
    main.start();
    started();
  }

  /** Runs in the foreground until SIGTERM or SIGINT; returns the exit code. */
  public int run() throws Exception {
    try {
      openManagement();
      main.run();
      LOG.info("stopped; final counts: {}", status());
      return main.getExitCode();
    } finally {
      stopManagement();
      vertx.close();
    }
  }

  public CamelContext camelContext() {
    return main.getCamelContext();
  }

  public ServerAssembly server() {
    return server;
  }

  public ClientAssembly client() {
    return client;
  }

  @Override
  public void close() {
    main.stop();
    LOG.info("stopped; final counts: {}", status());
    stopManagement();
    vertx.close();
  }

  private void stopManagement() {
    mbeans.close();
    ManagementServer current = management;
    if (current != null) {
      current.close();
      management = null;
    }
  }
}
