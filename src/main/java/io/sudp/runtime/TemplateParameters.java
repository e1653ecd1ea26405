package io.sudp.runtime;

import io.sudp.config.RouteTunnels;
import io.sudp.routes.RouteNames;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;

/**
 * The parameters a templated route was given, as the configuration spells its keys: Camel keeps
 * each in three spellings ({@code idle-timeout}, {@code idleTimeout}...), which become one, and
 * resolves their placeholders ({@code {{env:NAME}}}, {@code {{sys:NAME}}}) as everywhere else in
 * the route.
 */
final class TemplateParameters {
  private TemplateParameters() {}

  static Map<String, String> of(CamelContext context, String routeId) {
    RouteDefinition route = ((ModelCamelContext) context).getRouteDefinition(routeId);
    Map<String, String> parameters = new LinkedHashMap<>();
    if (route == null || route.getTemplateParameters() == null) {
      return parameters;
    }
    route
        .getTemplateParameters()
        .forEach(
            (key, value) -> {
              String kebab = RouteTunnels.key(key);
              if (!kebab.equals(RouteTunnels.key(RouteNames.TUNNEL_STEP)) && value != null) {
                parameters.put(kebab, context.resolvePropertyPlaceholders(String.valueOf(value)));
              }
            });
    return parameters;
  }
}
