package io.sudp.config;

import io.sudp.routes.RouteNames;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Camel route files among the instance files ({@code *.camel.yaml}): Camel YAML DSL whose entries
 * are {@code templatedRoute}s of {@code sudp-client-tunnel}, each a tunnel whose parameters are the
 * keys of a {@code client.tunnels} entry (in kebab-case or camelCase, as Camel takes them). Read by
 * SUDP itself, so that every problem names its file and line and a bad edit changes nothing; the
 * routes keep the ids the file gives them.
 */
final class RouteFiles {
  static final String SUFFIX = ".camel.yaml";

  private RouteFiles() {}

  /** The tunnels of route file {@code file}, checked as configuration entries are. */
  static List<TunnelConfig> read(
      Path file, ConfigEnvironment environment, List<String> problems, TunnelChecks checks) {
    ConfigFile read = ConfigFile.read(file, problems);
    if (read == null) {
      return List.of();
    }
    if (!(read.document() instanceof List<?> entries)) {
      problems.add(file + ": a route file is a list of templatedRoute entries");
      return List.of();
    }
    // The source reads its lines from this map, to which each entry adds its parameters' lines.
    Map<String, Integer> lines = new HashMap<>(LineIndex.of(read.text()));
    ConfigSource source =
        new ConfigSource(
            file.toString(), RelativePaths.of(file), lines, environment, problems, new HashSet<>());
    List<TunnelConfig> tunnels = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      Map<String, Object> parameters =
          parameters(entries.get(i), "[" + i + "].templatedRoute", lines);
      TunnelConfig tunnel = tunnel(source, entries.get(i), "[" + i + "]", parameters, checks);
      if (tunnel != null) {
        tunnels.add(tunnel);
      }
    }
    return tunnels;
  }

  /**
   * The parameters of the entry at {@code path} by configuration key, noting in {@code lines} the
   * line of each under {@code ROUTEID.KEY}, where its problems are reported.
   */
  private static Map<String, Object> parameters(
      Object entry, String path, Map<String, Integer> lines) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    if (!(entry instanceof Map<?, ?> map && map.get("templatedRoute") instanceof Map<?, ?> route)) {
      return parameters;
    }
    if (!(route.get("parameters") instanceof List<?> list)) {
      return parameters;
    }
    String routeId = String.valueOf(route.get("routeId"));
    for (int j = 0; j < list.size(); j++) {
      if (list.get(j) instanceof Map<?, ?> parameter && parameter.get("name") != null) {
        String key = RouteTunnels.key(String.valueOf(parameter.get("name")));
        Object value = parameter.get("value");
        if (value == null || value.toString().isEmpty()) {
          continue; // not set, as in a templated route
        }
        parameters.put(key, value);
        Integer line = lines.get(path + ".parameters[" + j + "]");
        if (line != null) {
          lines.put(routeId + "." + key, line);
        }
      }
    }
    Integer routeIdLine = lines.get(path + ".routeId");
    if (!parameters.containsKey("name") && routeIdLine != null) {
      lines.put(routeId + ".name", routeIdLine); // the name is the route id
    }
    return parameters;
  }

  private static TunnelConfig tunnel(
      ConfigSource source,
      Object entry,
      String path,
      Map<String, Object> parameters,
      TunnelChecks checks) {
    if (!(entry instanceof Map<?, ?> map) || !map.keySet().equals(Set.of("templatedRoute"))) {
      source.problem(path, "an entry of a route file is a templatedRoute (and only that)");
      return null;
    }
    if (!(map.get("templatedRoute") instanceof Map<?, ?> route)) {
      source.problem(path + ".templatedRoute", "must be a mapping");
      return null;
    }
    Map<String, Object> values = new LinkedHashMap<>();
    route.forEach((key, value) -> values.put(String.valueOf(key), value));
    ConfigNode node = new ConfigNode(source, path + ".templatedRoute", values);
    String template = node.string("routeTemplateRef", null);
    if (template != null && !template.equals(RouteNames.TUNNEL_TEMPLATE)) {
      node.problem("routeTemplateRef", "'" + template + "' is not " + RouteNames.TUNNEL_TEMPLATE);
    }
    String routeId = node.string("routeId", null);
    if (routeId != null && routeId.startsWith("sudp-")) {
      node.problem("routeId", "'" + routeId + "' is reserved: SUDP's own route ids start sudp-");
    }
    for (ConfigNode parameter : node.sections("parameters")) {
      parameter.string("name", null);
      parameter.string("value", null);
      parameter.rejectUnknownKeys();
    }
    node.rejectUnknownKeys();
    if (routeId == null) {
      return null;
    }
    parameters.putIfAbsent("name", routeId);
    return checks.tunnel(new ConfigNode(source, routeId, parameters), null, routeId);
  }
}
