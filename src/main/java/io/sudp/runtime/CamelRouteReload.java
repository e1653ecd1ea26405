package io.sudp.runtime;

import io.sudp.config.ConfigException;
import io.sudp.config.RouteTunnels;
import io.sudp.config.TunnelConfig;
import io.sudp.routes.RouteNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.ResourceReload;
import org.apache.camel.support.CamelContextHelper;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camel's own route reload ({@code camel.main.routes-reload-enabled}) made safe for tunnels and
 * able to change them. As Camel ships it, a change to any file first removes every route and route
 * template of the context, SUDP's included, and reloads only routes read from files: the tunnels
 * stopped, and an edited {@code templatedRoute} changed nothing. Installed on the context's reload
 * strategy when the context has started: routes are then reloaded by id only (Camel's {@code
 * routes-reload-remove-all-routes=false}), and a tunnel route file (one that names {@code
 * sudp-client-tunnel}) is applied as instance files are: the watched directory's tunnel files are
 * checked together with file and line, a bad edit is reported and changes nothing, and only the
 * tunnels that were added, changed or removed are touched. Other files go to Camel as before.
 */
final class CamelRouteReload implements ResourceReload {
  private static final Logger LOG = LoggerFactory.getLogger(CamelRouteReload.class);

  private final CamelContext context;
  private final Path dir;
  private final boolean recursive;
  private final ResourceReload camel;
  private final TunnelReconciler tunnels = new TunnelReconciler();
  private final Set<Path> known = new HashSet<>();

  private CamelRouteReload(
      CamelContext context, Path dir, boolean recursive, ResourceReload camel) {
    this.context = context;
    this.dir = dir;
    this.recursive = recursive;
    this.camel = camel;
  }

  /**
   * Keeps {@code strategy} from removing every route of the context on a change, SUDP's with them:
   * from the moment it is added, before it watches anything.
   */
  static void guard(RouteWatcherReloadStrategy strategy) {
    if (strategy.isRemoveAllRoutes()) {
      LOG.info(
          "route reload of {}: routes are reloaded by id; SUDP's routes and tunnels stay"
              + " (routes-reload-remove-all-routes would remove them)",
          strategy.getFolder());
      strategy.setRemoveAllRoutes(false);
    }
  }

  /** Takes over the tunnel files of the route reload {@code context} runs, if it runs one. */
  static void install(CamelContext context) {
    RouteWatcherReloadStrategy strategy = context.hasService(RouteWatcherReloadStrategy.class);
    if (strategy == null || strategy.getFolder() == null) {
      return;
    }
    guard(strategy);
    // camel-main may start it after the context: started now, it has set its own listener, which
    // this one hands the files that are not tunnel files.
    ServiceHelper.startService(strategy);
    CamelRouteReload reload =
        new CamelRouteReload(
            context,
            Path.of(strategy.getFolder()).toAbsolutePath().normalize(),
            strategy.isRecursive(),
            strategy.getResourceReload());
    try {
      reload.adoptLoadedTunnels();
    } catch (Exception e) {
      LOG.warn("route files in {}: their tunnels did not start: {}", reload.dir, e.toString());
    }
    strategy.setResourceReload(reload);
  }

  /**
   * The directory's tunnel files as they are at start: the tunnels Camel loaded from them are this
   * reload's to change, and those it did not load (no {@code routes-include-pattern} names the
   * directory, as with SUDP's own jar) start now, so that the directory's files are the tunnels
   * from the start. With no tunnel file, the client is not asked for: a context with no tunnel
   * makes none.
   */
  private synchronized void adoptLoadedTunnels() throws Exception {
    tunnels.adopt(context, List.of());
    List<Path> files = routeFiles();
    if (files.isEmpty() || watchedByClient()) {
      return;
    }
    List<TunnelConfig> desired = read(files);
    if (desired != null) {
      tunnels.adopt(context, desired);
      apply(files, desired);
    }
  }

  /** The tunnels of {@code files}, or null with their problems reported. */
  private List<TunnelConfig> read(List<Path> files) {
    try {
      return RouteTunnels.readRouteFiles(client().config(), files);
    } catch (ConfigException e) {
      LOG.warn("route files in {} rejected; the running tunnels stay as they are:", dir);
      e.problems().forEach(problem -> LOG.warn("  {}", problem));
      return null;
    }
  }

  /** Makes the tunnels {@code desired}, read from {@code files}. */
  private void apply(List<Path> files, List<TunnelConfig> desired) throws Exception {
    tunnels.apply(desired);
    known.clear();
    known.addAll(files);
    LOG.info("route files in {} applied: {} tunnels", dir, desired.size());
  }

  @Override
  public synchronized void onReload(String name, Resource resource) throws Exception {
    Path file = Path.of(name).toAbsolutePath().normalize();
    boolean gone = !Files.exists(file);
    if (!gone && Files.size(file) == 0) {
      return; // a file being written (created, or an editor writing in place): its content follows
    }
    if (!(gone ? known.contains(file) : RouteTunnels.isRouteFile(file))) {
      camel.onReload(name, resource);
      return;
    }
    if (watchedByClient()) {
      return; // the client applies its instance files itself
    }
    List<Path> files = routeFiles();
    List<TunnelConfig> desired = read(files);
    if (desired != null) {
      apply(files, desired);
    }
  }

  /** Whether the directory is SUDP's client's instance directory, which the client watches. */
  private boolean watchedByClient() {
    Path instances = client().config().instancesDir();
    return instances != null && instances.toAbsolutePath().normalize().equals(dir);
  }

  private ClientAssembly client() {
    return CamelContextHelper.mandatoryLookup(context, RouteNames.CLIENT, ClientAssembly.class);
  }

  /** The tunnel route files in the directory (and below it, if Camel watches it recursively). */
  private List<Path> routeFiles() {
    try (Stream<Path> files = recursive ? Files.walk(dir) : Files.list(dir)) {
      return files.filter(RouteTunnels::isRouteFile).sorted().toList();
    } catch (IOException e) {
      throw new IllegalStateException("cannot list " + dir, e);
    }
  }
}
