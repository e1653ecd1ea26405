package io.sudp.runtime;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sudp.config.ConfigException;
import io.sudp.config.HostPort;
import io.sudp.config.ManagementConfig;
import io.sudp.config.SudpConfig;
import io.sudp.management.ManagedProcess;
import io.sudp.management.ManagementGate;
import io.sudp.management.ManagementLogin;
import io.sudp.management.ManagementServer;
import io.sudp.ops.Failures;
import io.sudp.process.LogSetup;
import io.sudp.process.LostLogLines;
import io.sudp.routes.RouteNames;
import io.sudp.security.Authenticator;
import io.sudp.security.Credentials;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.CamelContext;
import org.apache.camel.ManagementStatisticsLevel;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SUDP process: a camel-main application running the chosen parts of a configuration as routes
 * from {@code classpath:sudp/routes}. Used by the command line and by embedding code and tests.
 */
public final class TunnelRuntime implements AutoCloseable, ManagedProcess {
  private static final Logger LOG = LoggerFactory.getLogger(TunnelRuntime.class);

  private final Main main = new Main();
  private final TunnelParts parts;
  private final ServerAssembly server;
  private final ClientAssembly client;
  private volatile SudpConfig config;
  private final List<Runnable> startedListeners = new ArrayList<>();
  private final AtomicBoolean housekeeping = new AtomicBoolean();
  private final PrometheusMeterRegistry metrics =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private volatile ManagementServer management;
  private final long startedNanos = System.nanoTime();
  private final JmxRegistrations mbeans;

  public TunnelRuntime(SudpConfig config, Set<Role> roles) throws IOException {
    this.config = config;
    this.mbeans = new JmxRegistrations(config.name());
    parts = new TunnelParts(config, roles, main::bind);
    server = parts.server();
    client = parts.client();
    main.bind("metricsRegistry", metrics); // camel-micrometer uses the same registry
    CamelMetricsSettings.apply(main::addInitialProperty);
    main.configure()
        .withName("sudp")
        .withExchangeFactory("pooled")
        .withMessageHistory(false)
        .withStreamCachingEnabled(false)
        .withCaseInsensitiveHeaders(false) // a hash map per exchange; the routes use exact names
        // per-step statistics for Hawtio: not measurable above the noise (docs/performance.md)
        .withJmxManagementStatisticsLevel(ManagementStatisticsLevel.Default)
        .withShutdownTimeout(5)
        .withDurationMaxMessages(0);
    if (parts.routeResources().isEmpty()) {
      main.configure().setRoutesCollectorEnabled(false); // the tunnels' templates come by plugin
    } else {
      main.configure().setRoutesIncludePattern(String.join(",", parts.routeResources()));
    }
    main.configure().setUuidGenerator("simple"); // exchange ids from a counter, not random UUIDs
    // A tunnel that cannot start (its port is taken) is retried in the background while the
    // other tunnels run.
    main.configure()
        .routeControllerConfig()
        .withEnabled(true)
        .withExcludeRoutes(RouteNames.unsupervisedRoutes())
        .withBackOffDelay(2_000)
        .withBackOffMaxDelay(30_000)
        .withBackOffMultiplier(1.5)
        .withBackOffMaxAttempts(0);
    main.addMainListener(
        new MainListenerSupport() {
          @Override
          public void afterConfigure(BaseMainSupport ignored) {
            try {
              parts.addTemplatedRoutes(main.getCamelContext());
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

  /**
   * Once everything runs: housekeeping, then the listeners. camel-main calls it only from run().
   */
  private void started() {
    if (housekeeping.compareAndSet(false, true)) {
      parts.startHousekeeping(main.getCamelContext());
      publishManagement();
      startedListeners.forEach(Runnable::run);
    }
  }

  /** Meters and MBeans, once the parts run. */
  private void publishManagement() {
    FunctionCounter.builder("sudp.log.lines.lost", LogSetup.lostLines(), LostLogLines::count)
        .description("log lines the log file could not take (full disk, I/O error)")
        .register(metrics);
    mbeans.register("Instance", new InstanceControl(config.name(), this));
    parts.publish(main.getCamelContext(), metrics, mbeans);
  }

  /**
   * Binds the management port before anything else starts: a port taken by another instance on this
   * host stops the start with a clear message instead of leaving it half running.
   */
  private void openManagement() {
    if (config.management() == null) {
      return;
    }
    ManagementConfig settings = config.management();
    HostPort listen = settings.listen();
    try {
      ManagementLogin login = null;
      if (settings.auth() != null) {
        Authenticator authenticator =
            new Authenticator(
                parts.vertx().vertx(),
                new Credentials(settings.auth().htpasswd(), settings.auth().tokensFile()));
        login = authenticator::authenticate;
      }
      management =
          new ManagementServer(
              parts.vertx().vertx(),
              listen.host(),
              listen.port(),
              metrics,
              this,
              settings.jolokia(),
              settings.operations(),
              new ManagementGate(settings.hosts(), settings.origins()),
              login);
    } catch (Exception e) {
      throw new IllegalStateException(
          "management.listen "
              + listen
              + ": "
              + Failures.describe(e)
              + (Failures.isAddressInUse(e)
                  ? " (another instance on this host? give each its own management port)"
                  : ""),
          e);
    }
  }

  @Override
  public boolean ready() {
    return parts.ready();
  }

  @Override
  public Collection<HealthCheck.Result> health(HealthCheck.Kind kind) {
    CamelContext context = main.getCamelContext();
    if (context == null || !context.isStarted()) {
      return List.of();
    }
    // "full": every check with its details, not only those that are DOWN
    return kind == HealthCheck.Kind.LIVENESS
        ? HealthCheckHelper.invokeLiveness(context, "full")
        : HealthCheckHelper.invokeReadiness(context, "full");
  }

  /** The process's Vert.x instance, for process-wide hooks such as its exception handler. */
  public Vertx vertx() {
    return parts.vertx().vertx();
  }

  /** The management port actually bound, or -1 without one. */
  public int managementPort() {
    ManagementServer current = management;
    return current == null ? -1 : current.port();
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
    JsonObject status =
        new JsonObject()
            .put("name", config.name())
            .put("pid", ProcessHandle.current().pid())
            .put("uptimeSeconds", uptimeSeconds());
    parts.addStatus(status);
    return status;
  }

  @Override
  public String status() {
    return parts.status();
  }

  /**
   * Re-reads {@code file} and applies what can change while running: tunnels (added, removed,
   * changed; the others keep their flows), the log level, and the server's certificate files if
   * they were renewed. Other changed settings are named in the log as needing a restart. A file
   * that does not validate changes nothing.
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
        needRestart.addAll(client.reload(next.client()));
      } else if (!Objects.equals(current.client(), next.client())) {
        needRestart.add("client");
      }
    } catch (Exception e) {
      LOG.warn("reload of {}: tunnels not applied: {}", file, e.toString());
    }
    if (!Objects.equals(current.server(), next.server())) {
      needRestart.add("server");
    }
    if (server != null) {
      server.reloadCertificate();
    }
    if (!Objects.equals(current.management(), next.management())) {
      needRestart.add("management");
    }
    if (!Objects.equals(current.echo(), next.echo())) {
      needRestart.add("echo");
    }
    if (!current.warmUp().equals(next.warmUp())) {
      needRestart.add("warm-up");
    }
    LogSetup.setLevel(next.logging().level());
    if (!Objects.equals(current.logging().withLevel("info"), next.logging().withLevel("info"))) {
      needRestart.add("logging (other than level)");
    }
    config = next;
    LOG.info(
        "reloaded {}{}",
        file,
        needRestart.isEmpty()
            ? ""
            : "; changed but only applied by a restart: " + String.join(", ", needRestart));
  }

  /** Starts everything and returns; {@link #close} stops it. */
  public void start() throws Exception {
    openManagement();
    main.start();
    started();
  }

  /** Ends {@link #run} as SIGTERM would: the same drain and the same exit status. */
  public void requestStop() {
    main.completed();
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
      parts.close();
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
    parts.close();
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
