package io.sudp.management;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sudp.ops.RateLimitedLog;
import io.vertx.core.http.HttpConnection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * The connections open to the management port, at most {@code max} at once. Each costs the process
 * a file descriptor, which the tunnels need too (one per flow), and buffers; nothing else bounds
 * how many a client may open and hold. A connection beyond the bound closes the oldest of the
 * address that has the most open: a client flooding the port closes its own, while Prometheus, an
 * orchestrator's probes and {@code sudp status} from other addresses keep theirs and get new ones.
 */
final class ManagementConnections {
  private final int max;
  private final Counter closed;
  private final RateLimitedLog log =
      new RateLimitedLog(LoggerFactory.getLogger(ManagementConnections.class));
  private final Map<HttpConnection, String> open = new LinkedHashMap<>(); // oldest first
  private final Map<String, Integer> bySource = new HashMap<>();

  ManagementConnections(int max, MeterRegistry registry) {
    this.max = max;
    this.closed =
        Counter.builder("sudp.management.connections.closed")
            .description(
                "connections to the management port closed because more than the bound were open"
                    + " (the oldest of the address with the most)")
            .register(registry);
  }

  /** Counts a new connection in; closes the one that must go, if the bound is exceeded. */
  void opened(HttpConnection connection) {
    String source = connection.remoteAddress().hostAddress();
    HttpConnection victim;
    synchronized (this) {
      open.put(connection, source);
      bySource.merge(source, 1, Integer::sum);
      victim = open.size() > max ? takeOldestOfBusiest() : null;
    }
    connection.closeHandler(ignored -> gone(connection));
    if (victim != null) {
      closed.increment();
      log.warn(
          "management: {}: closed: the oldest connection of the address with the most of {}"
              + " open",
          victim.remoteAddress().hostAddress(),
          max);
      victim.close();
    }
  }

  private synchronized void gone(HttpConnection connection) {
    String source = open.remove(connection);
    if (source != null) {
      bySource.computeIfPresent(source, (key, count) -> count == 1 ? null : count - 1);
    }
  }

  private HttpConnection takeOldestOfBusiest() {
    int most = bySource.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    for (Map.Entry<HttpConnection, String> entry : open.entrySet()) {
      if (bySource.get(entry.getValue()) == most) {
        HttpConnection victim = entry.getKey();
        gone(victim);
        return victim;
      }
    }
    return null;
  }
}
