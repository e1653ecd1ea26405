package io.sudp.config;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where configuration values come from and where problems go: the file (with the line of every key,
 * for messages) and the environment, which overrides any key of the file by one rule: {@code SUDP_}
 * and the key's path in capitals, with every other character an underscore ({@code
 * client.tunnels[0].listen} is {@code SUDP_CLIENT_TUNNELS_0_LISTEN}); values of the file may also
 * hold Camel-style {@code {{env:NAME:default}}} placeholders.
 */
final class ConfigSource {
  private static final Pattern NOT_NAME = Pattern.compile("[^A-Z0-9]+");
  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\{\\{env:([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?}}");

  private final String file;
  private final RelativePaths paths;
  private final Map<String, Integer> lines;
  private final ConfigEnvironment environment;
  private final List<String> problems;
  private final Set<String> keysRead;

  ConfigSource(
      String file,
      RelativePaths paths,
      Map<String, Integer> lines,
      ConfigEnvironment environment,
      List<String> problems,
      Set<String> keysRead) {
    this.file = file;
    this.paths = paths;
    this.lines = lines;
    this.environment = environment;
    this.problems = problems;
    this.keysRead = keysRead;
  }

  /** Notes that the code asked for {@code path}: every key it can ask for must be documented. */
  void read(String path) {
    keysRead.add(path);
  }

  /** The environment variable that overrides {@code path}. */
  static String variable(String path) {
    String name = NOT_NAME.matcher(path.toUpperCase(java.util.Locale.ROOT)).replaceAll("_");
    return "SUDP_" + (name.endsWith("_") ? name.substring(0, name.length() - 1) : name);
  }

  /**
   * {@code text} with every {@code {{env:NAME}}} or {@code {{env:NAME:default}}} replaced by the
   * variable's value (else the default); a variable that is not set and has no default is a problem
   * at {@code path}.
   */
  String expand(String path, String text) {
    if (!text.contains("{{env:")) {
      return text;
    }
    Matcher placeholder = PLACEHOLDER.matcher(text);
    StringBuilder result = new StringBuilder();
    while (placeholder.find()) {
      String value = environment.get(placeholder.group(1));
      if (value == null) {
        value = placeholder.group(2);
      }
      if (value == null) {
        problem(
            path,
            "environment variable "
                + placeholder.group(1)
                + " is not set (write {{env:"
                + placeholder.group(1)
                + ":DEFAULT}} for a default)");
        value = "";
      }
      placeholder.appendReplacement(result, Matcher.quoteReplacement(value));
    }
    placeholder.appendTail(result);
    return result.toString();
  }

  /** The value the environment sets for {@code path}, or null. */
  String override(String path) {
    return environment.get(variable(path));
  }

  /** Where the relative paths of this file's values lead. */
  RelativePaths paths() {
    return paths;
  }

  ConfigEnvironment environment() {
    return environment;
  }

  List<String> problems() {
    return problems;
  }

  /** Records a problem: {@code FILE:LINE: path: message}, at the nearest line known. */
  void problem(String path, String message) {
    problems.add(where(path) + ": " + path + ": " + message);
  }

  /** Where {@code path} is written: {@code FILE:LINE} at the nearest line known. */
  String where(String path) {
    if (override(path) != null) {
      return file + " (" + variable(path) + ")";
    }
    for (String candidate = path; !candidate.isEmpty(); candidate = parent(candidate)) {
      Integer line = lines.get(candidate);
      if (line != null) {
        return file + ":" + line;
      }
    }
    return file;
  }

  /** The path of the section {@code path} is in; empty at the top. */
  static String parent(String path) {
    int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    return cut < 0 ? "" : path.substring(0, cut);
  }
}
