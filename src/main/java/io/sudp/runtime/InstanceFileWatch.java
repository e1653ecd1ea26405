package io.sudp.runtime;

import io.sudp.config.ClientConfig;
import io.sudp.config.ConfigException;
import io.sudp.config.SudpConfig;
import io.sudp.config.TunnelConfig;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;

/**
 * Applies edits of a client's instance files within a second: added files start tunnels, removed
 * ones stop them, changed ones restart them. An edit that does not validate is reported, problem by
 * problem, and the running tunnels stay as they are.
 */
final class InstanceFileWatch {
  private final Path dir;
  private final CamelContext context;
  private final Supplier<ClientConfig> config;
  private final TunnelReconciler tunnels;
  private final Logger log;
  private String seen;

  /**
   * @param config the client's configuration as it is now (a reload changes it), whose own tunnels
   *     run beside the instance files'
   */
  InstanceFileWatch(
      Path dir,
      CamelContext context,
      Supplier<ClientConfig> config,
      TunnelReconciler tunnels,
      Logger log) {
    this.dir = dir;
    this.context = context;
    this.config = config;
    this.tunnels = tunnels;
    this.log = log;
    this.seen = fingerprint(dir);
  }

  /** Looks at the directory every second, on a worker of {@code vertx}: listing it blocks. */
  void start(Vertx vertx) {
    vertx.setPeriodic(
        1_000,
        id ->
            vertx.executeBlocking(
                () -> {
                  check();
                  return null;
                },
                true));
  }

  private void check() throws Exception {
    String now = fingerprint(dir);
    if (now.equals(seen) || context.isStopping()) {
      return;
    }
    seen = now;
    try {
      ClientConfig current = config.get();
      List<TunnelConfig> desired = new ArrayList<>(current.tunnels());
      desired.addAll(SudpConfig.readInstances(current));
      tunnels.apply(desired);
      log.info("instance files in {} applied: {} tunnels", dir, desired.size());
    } catch (ConfigException e) {
      log.warn("instance files in {} rejected; the running tunnels stay as they are:", dir);
      e.problems().forEach(problem -> log.warn("  {}", problem));
    }
  }

  /** Names, sizes and modification times of the instance files: changes when any file does. */
  private static String fingerprint(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      StringBuilder print = new StringBuilder();
      for (Path file : files.sorted().toList()) {
        print
            .append(file.getFileName())
            .append(' ')
            .append(Files.size(file))
            .append(' ')
            .append(Files.getLastModifiedTime(file).toMillis())
            .append('\n');
      }
      return print.toString();
    } catch (IOException e) {
      return "unreadable: " + e.getMessage();
    }
  }
}
