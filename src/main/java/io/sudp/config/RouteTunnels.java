package io.sudp.config;

import io.sudp.client.ReverseOffer;
import io.sudp.routes.RouteNames;
import io.sudp.transport.BackoffPolicy;
import io.sudp.transport.ClientSecurity;
import io.sudp.transport.QueueLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
  /** Larger files are no route files of ours: the watched directory may hold anything. */
  private static final long MAX_ROUTE_FILE_BYTES = 1 << 20;

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
        TunnelChecks.of(client).tunnel(new ConfigNode(source, "", set), null, routeId);
    if (routeId.startsWith("sudp-") && !routeId.equals(tunnel.routeId())) {
      problems.add("route " + routeId + ": routeId: reserved: SUDP's own route ids start sudp-");
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return tunnel;
  }

  /**
   * Whether {@code file} is a tunnel route file: YAML that names the tunnel template. A file that
   * names it but is broken is one too, so that its problems are reported with file and line rather
   * than left to Camel's loader.
   */
  public static boolean isRouteFile(Path file) {
    String name = file.getFileName().toString();
    if (!(name.endsWith(".yaml") || name.endsWith(".yml")) || !Files.isRegularFile(file)) {
      return false;
    }
    try {
      return Files.size(file) <= MAX_ROUTE_FILE_BYTES
          && Files.readString(file, StandardCharsets.ISO_8859_1)
              .contains(RouteNames.TUNNEL_TEMPLATE);
    } catch (IOException e) {
      return false; // gone or unreadable: not one to read now
    }
  }

  /**
   * The tunnels of route files {@code files}, checked together and against {@code client}'s own
   * tunnels (names and listen addresses are unique), every problem naming its file and line.
   */
  public static List<TunnelConfig> readRouteFiles(ClientConfig client, List<Path> files)
      throws ConfigException {
    List<String> problems = new ArrayList<>();
    TunnelChecks checks = TunnelChecks.of(client);
    client.allTunnels().forEach(checks::claim);
    ConfigEnvironment environment = new ConfigEnvironment(System.getenv());
    List<TunnelConfig> tunnels = new ArrayList<>();
    for (Path file : files) {
      tunnels.addAll(RouteFiles.read(file, environment, problems, checks));
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return tunnels;
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
        SudpConfig.DEFAULT_DRAIN,
        ReverseOffer.NONE);
  }
}
