package io.sudp.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The route files spell the ids and registry names the Java code takes from {@link RouteNames}: a
 * name that differs on one side would leave a route without its bean, or a template the code cannot
 * find, at run time only.
 */
class ShippedRoutesTest {
  private static final Path ROUTES = Path.of("src/main/resources/routes");

  /** Ids, bean references and bean names the route files use, each with where it stands. */
  private final List<String[]> names = new ArrayList<>();

  /** The classes the route files' template-local beans are made of. */
  private final List<String> classes = new ArrayList<>();

  @Test
  void everyIdAndBeanNameOfTheRouteFilesIsOneOfRouteNames() throws Exception {
    try (Stream<Path> files = Files.list(ROUTES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        collect(
            file.getFileName().toString(),
            new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file)));
      }
    }
    Set<String> constants = constants();

    assertThat(names)
        .as("names in the route files")
        .hasSizeGreaterThan(10)
        .allSatisfy(name -> assertThat(constants).as(name[0]).contains(name[1]));
    assertThat(classes)
        .as("classes of template-local beans")
        .isNotEmpty()
        .allSatisfy(name -> assertThat(Class.forName(name)).isNotNull());
    assertThat(used("routeTemplate.id"))
        .containsExactlyInAnyOrder(
            RouteNames.TUNNEL_TEMPLATE, RouteNames.CONNECTION_TEMPLATE, RouteNames.ECHO_TEMPLATE);
    assertThat(used("route.id"))
        .containsExactlyInAnyOrder(
            RouteNames.SERVER_UPSTREAM_ROUTE, RouteNames.SERVER_DOWNSTREAM_ROUTE);
  }

  /** The names used at {@code where} (its end), in every file. */
  private Set<String> used(String where) {
    return names.stream()
        .filter(name -> name[0].endsWith(where))
        .map(name -> name[1])
        .collect(Collectors.toSet());
  }

  /**
   * Notes, below {@code path}: route and template ids, processor references, {@code sudp:NAME}
   * endpoints, {@code #NAME} bean parameters and parameter defaults that name beans; placeholders
   * ({@code {{tunnel}}}) are the templates' parameters, filled in by the Java code.
   */
  private void collect(String path, Object node) {
    if (node instanceof Map<?, ?> map) {
      map.forEach((key, value) -> collect(path + "." + key, value));
    } else if (node instanceof List<?> list) {
      list.forEach(item -> collect(path, item));
    } else if (node instanceof String value && !value.contains("{{")) {
      String key = path.substring(path.lastIndexOf('.') + 1);
      if (path.endsWith("route.id") || path.endsWith("routeTemplate.id") || key.equals("ref")) {
        names.add(new String[] {path, value});
      } else if (key.equals("uri") && value.startsWith("sudp:")) {
        names.add(new String[] {path, value.substring("sudp:".length())});
      } else if (value.startsWith("#class:")) {
        classes.add(value.substring("#class:".length()));
      } else if (value.startsWith("#")) {
        names.add(new String[] {path, value.substring(1)});
      } else if (key.equals("defaultValue") && value.startsWith("sudp")) {
        names.add(new String[] {path, value});
      }
    }
  }

  private static Set<String> constants() throws IllegalAccessException {
    Set<String> values = new TreeSet<>();
    for (Field field : RouteNames.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
        values.add((String) field.get(null));
      }
    }
    assertThat(values).as("RouteNames' constants").hasSizeGreaterThan(10);
    return values;
  }

  @Test
  void namesAreFoundWhereverARouteFileUsesThem() {
    collect(
        "test.yaml",
        List.of(
            Map.of(
                "route",
                Map.of(
                    "id",
                    "a",
                    "from",
                    Map.of(
                        "uri",
                        "sudp:b",
                        "parameters",
                        Map.of("workerGroup", "#c", "sync", "false"),
                        "steps",
                        List.of(
                            Map.of("process", Map.of("ref", "d")),
                            Map.of("to", Map.of("uri", "sudp:{{socket}}"))))))));

    assertThat(names).extracting(name -> name[1]).containsExactlyInAnyOrder("a", "b", "c", "d");
  }
}
