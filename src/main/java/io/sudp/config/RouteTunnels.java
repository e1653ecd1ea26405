package io.sudp.config;

import io.sudp.transport.BackoffPolicy;
import io.sudp.transport.ClientSecurity;
import io.sudp.transport.QueueLimits;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Tunnels declared as Camel routes (a {@code templatedRoute} of {@code sudp-client-tunnel}): their
 * template parameters are the keys of a {@code client.tunnels} entry, checked by the same rules
 * with the same messages, so a route and the configuration file cannot disagree about what a tunnel
 * is.
 */
public final class RouteTunnels {
  private RouteTunnels() {}

  /**
   * The tunnel that route {@code routeId} declares with {@code parameters}, for a client configured
   * as {@code client}.
   *
   * @param parameters template parameters by their configuration key ({@code listen}, {@code
   *     idle-timeout}...); an empty value means the key is not set
   * @throws ConfigException with every problem, each as {@code route ROUTE: key: problem}
   */
  public static TunnelConfig read(
      ClientConfig client, String routeId, Map<String, String> parameters) throws ConfigException {
    Map<String, Object> set = new LinkedHashMap<>();
    parameters.forEach(
        (key, value) -> {
          if (value != null && !value.isEmpty()) {
            set.put(key, value);
          }
        });
    List<String> problems = new ArrayList<>();
    ConfigSource source =
        new ConfigSource(
            "route " + routeId,
            new RelativePaths(Path.of("").toAbsolutePath()),
            Map.of(),
            new ConfigEnvironment(Map.of()),
            problems,
            new HashSet<>());
    TunnelConfig tunnel =
        new TunnelChecks(
                client.idleTimeout(),
                client.credentials().keySet(),
                client.security().authorization() != null)
            .tunnel(new ConfigNode(source, "", set), null, routeId);
    if (routeId.startsWith("sudp-") && !routeId.equals(tunnel.routeId())) {
      problems.add("route " + routeId + ": routeId: reserved: SUDP's own route ids start sudp-");
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return tunnel;
  }

  /**
   * A parameter name as the configuration spells it: {@code idleTimeout} is {@code idle-timeout}.
   */
  public static String key(String name) {
    return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }

  /**
   * The client of a Camel application that declares tunnels but no SUDP configuration: no server of
   * its own (each tunnel names one), no credentials, the environment's proxy, every other setting
   * at its default.
   *
   * @throws IllegalArgumentException if a proxy variable of the environment is no proxy URL
   */
  public static ClientConfig defaultClient() {
    return new ClientConfig(
        null,
        SudpConfig.DEFAULT_IDLE,
        SudpConfig.DEFAULT_KEEPALIVE,
        BackoffPolicy.DEFAULT,
        new ClientSecurity(null, null, null, false, null),
        Map.of(),
        ProxyReader.fromEnvironment(System::getenv),
        QueueLimits.DEFAULT,
        List.of(),
        null,
        List.of(),
        SudpConfig.DEFAULT_DRAIN);
  }
}
