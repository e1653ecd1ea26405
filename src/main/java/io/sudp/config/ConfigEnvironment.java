package io.sudp.config;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The environment one load reads, remembering every variable it asked for, set or not: a {@code
 * SUDP_} variable that nothing asked for was ignored, most likely mistyped (see {@link
 * UnknownVariables}).
 */
final class ConfigEnvironment {
  private final Map<String, String> variables;
  private final Set<String> asked = new HashSet<>();

  ConfigEnvironment(Map<String, String> variables) {
    this.variables = variables;
  }

  /** The variable's value, or null when it is not set. */
  String get(String name) {
    asked.add(name);
    return variables.get(name);
  }

  /** The variables asked for so far whose names start with {@code prefix}, sorted. */
  Set<String> asked(String prefix) {
    Set<String> names = new TreeSet<>();
    asked.stream().filter(name -> name.startsWith(prefix)).forEach(names::add);
    return names;
  }

  /** The variables set whose names start with {@code prefix} and that nothing asked for, sorted. */
  Set<String> notAsked(String prefix) {
    Set<String> names = new TreeSet<>();
    variables.keySet().stream()
        .filter(name -> name.startsWith(prefix) && !asked.contains(name))
        .forEach(names::add);
    return names;
  }
}
