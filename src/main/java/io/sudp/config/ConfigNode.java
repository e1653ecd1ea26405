package io.sudp.config;

import io.sudp.protocol.Destination;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A YAML mapping read with its path, so every problem can be reported as {@code FILE:LINE:
 * key.path: what is wrong (what is expected)}, and every value can be overridden from the
 * environment (see {@link ConfigSource}). Problems are collected, not thrown, so one run reports
 * all of them.
 */
final class ConfigNode {
  private final ConfigSource source;
  private final String path;
  private final Map<String, Object> values;
  private final Set<String> read = new TreeSet<>();

  ConfigNode(ConfigSource source, String path, Map<String, Object> values) {
    this.source = source;
    this.path = path;
    this.values = values;
  }

  static ConfigNode root(ConfigSource source, Object document) {
    if (document instanceof Map<?, ?> map) {
      return new ConfigNode(source, "", stringKeys(map));
    }
    if (document != null) {
      source.problem("", "the document must be a mapping of sections (server, client, echo)");
    }
    return new ConfigNode(source, "", Map.of());
  }

  ConfigEnvironment environment() {
    return source.environment();
  }

  /** Where problems go: shared by every node and file of one load. */
  List<String> problems() {
    return source.problems();
  }

  private static Map<String, Object> stringKeys(Map<?, ?> map) {
    Map<String, Object> result = new LinkedHashMap<>();
    map.forEach((key, value) -> result.put(String.valueOf(key), value));
    return result;
  }

  /** The keys of this mapping, in file order. */
  Set<String> keys() {
    return values.keySet();
  }

  private void markRead(String key) {
    read.add(key);
    source.read(qualified(key));
  }

  boolean has(String key) {
    return values.containsKey(key) || source.override(qualified(key)) != null;
  }

  void problem(String key, String message) {
    source.problem(qualified(key), message);
  }

  /** Where {@code key} of this section is written: {@code FILE:LINE}. */
  String where(String key) {
    return source.where(qualified(key));
  }

  private String qualified(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  ConfigNode section(String key) {
    markRead(key);
    Object value = values.get(key);
    if (value instanceof Map<?, ?> map) {
      return new ConfigNode(source, qualified(key), stringKeys(map));
    }
    if (value != null) {
      problem(key, "must be a mapping");
    }
    return null;
  }

  List<ConfigNode> sections(String key) {
    markRead(key);
    Object value = values.get(key);
    List<ConfigNode> result = new ArrayList<>();
    if (value == null) {
      return result;
    }
    if (!(value instanceof List<?> list)) {
      problem(key, "must be a list");
      return result;
    }
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) instanceof Map<?, ?> map) {
        result.add(new ConfigNode(source, qualified(key) + "[" + i + "]", stringKeys(map)));
      } else {
        problem(key + "[" + i + "]", "must be a mapping");
      }
    }
    return result;
  }

  String string(String key, String fallback) {
    markRead(key);
    String override = source.override(qualified(key));
    if (override != null) {
      return override;
    }
    Object value = values.get(key);
    if (value == null) {
      if (fallback == null) {
        problem(key, "is required");
      }
      return fallback;
    }
    if (value instanceof Map || value instanceof List) {
      problem(key, "must be a single value");
      return fallback;
    }
    return source.expand(qualified(key), String.valueOf(value));
  }

  List<String> strings(String key) {
    markRead(key);
    Object value = values.get(key);
    List<String> result = new ArrayList<>();
    String override = source.override(qualified(key));
    if (override != null) {
      for (String item : override.split(",")) {
        if (!item.isBlank()) {
          result.add(item.strip());
        }
      }
    } else if (value instanceof List<?> list) {
      list.forEach(item -> result.add(source.expand(qualified(key), String.valueOf(item))));
    } else if (value != null) {
      problem(key, "must be a list");
    }
    return result;
  }

  int integer(String key, int fallback, int min, int max) {
    String text = string(key, String.valueOf(fallback));
    try {
      int value = Integer.parseInt(text.trim());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problem(key, "'" + text + "' is not a whole number in " + min + ".." + max);
    return fallback;
  }

  /** A size in bytes: a whole number, optionally with a unit (B, KB, MB, GB, KiB, MiB, GiB). */
  long size(String key, long fallback, long min, long max) {
    String text = string(key, String.valueOf(fallback)).strip();
    java.util.regex.Matcher matcher =
        java.util.regex.Pattern.compile(
                "(\\d+)\\s*([KMG]i?B|B)?", java.util.regex.Pattern.CASE_INSENSITIVE)
            .matcher(text);
    if (matcher.matches()) {
      try {
        long value = Math.multiplyExact(Long.parseLong(matcher.group(1)), unit(matcher.group(2)));
        if (value >= min && value <= max) {
          return value;
        }
      } catch (NumberFormatException | ArithmeticException e) {
        // reported below
      }
    }
    problem(
        key,
        "'"
            + text
            + "' is not a size in "
            + min
            + ".."
            + max
            + " bytes (e.g. 65536, 64KiB, 8MiB, 1GB)");
    return fallback;
  }

  private static long unit(String unit) {
    if (unit == null) {
      return 1;
    }
    return switch (unit.toUpperCase(Locale.ROOT)) {
      case "KB" -> 1_000L;
      case "MB" -> 1_000_000L;
      case "GB" -> 1_000_000_000L;
      case "KIB" -> 1L << 10;
      case "MIB" -> 1L << 20;
      case "GIB" -> 1L << 30;
      default -> 1;
    };
  }

  double decimal(String key, double fallback, double min, double max) {
    String text = string(key, String.valueOf(fallback));
    try {
      double value = Double.parseDouble(text.trim());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problem(key, "'" + text + "' is not a number in " + min + ".." + max);
    return fallback;
  }

  /** A duration with its unit ({@code ms}, {@code s}, {@code m}, {@code h}), within a range. */
  Duration duration(String key, Duration fallback, DurationRange range) {
    String text = string(key, fallback.toMillis() + "ms").trim().toLowerCase(Locale.ROOT);
    Duration value = parseDuration(text);
    if (value != null && range.contains(value)) {
      return value;
    }
    problem(key, "'" + text + "' is not a duration in " + range + " (e.g. 500ms, 30s, 2m, 1h)");
    return fallback;
  }

  /** The duration {@code text} says, or null: no unit, no number, or beyond what Duration holds. */
  private static Duration parseDuration(String text) {
    try {
      if (text.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
      } else if (text.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
      } else if (text.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
      } else if (text.endsWith("h")) {
        return Duration.ofHours(Long.parseLong(text.substring(0, text.length() - 1)));
      }
    } catch (NumberFormatException | ArithmeticException e) {
      // not a duration
    }
    return null;
  }

  /** {@code host:port} to listen on; port 0 picks a free port. */
  HostPort listenAddress(String key, String fallback) {
    String text = string(key, fallback);
    if (text == null) {
      return null;
    }
    try {
      return HostPort.parse(text, true);
    } catch (IllegalArgumentException e) {
      problem(key, e.getMessage() + " (expected HOST:PORT, e.g. 127.0.0.1:5300)");
      return null;
    }
  }

  Destination destination(String key) {
    String text = string(key, null);
    if (text == null) {
      return null;
    }
    try {
      return Destination.parse(text);
    } catch (IllegalArgumentException e) {
      problem(key, e.getMessage() + " (expected HOST:PORT, e.g. 192.0.2.53:53)");
      return null;
    }
  }

  /**
   * A file that exists and can be read ({@link RelativePaths}: relative to this file's directory),
   * or null (not given, or reported).
   */
  Path readableFile(String key) {
    String text = string(key, "");
    if (text.isEmpty()) {
      return null;
    }
    Path file = source.paths().resolve(text);
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      problem(key, "'" + text + "' is not a readable file" + resolvedFrom(text, file));
      return null;
    }
    return file;
  }

  /** A directory that exists ({@link RelativePaths}), or null (not given, or reported). */
  Path directory(String key) {
    String text = string(key, "");
    if (text.isEmpty()) {
      return null;
    }
    Path dir = source.paths().resolve(text);
    if (!Files.isDirectory(dir)) {
      problem(key, "'" + text + "' is not a directory" + resolvedFrom(text, dir));
      return null;
    }
    return dir;
  }

  /** Where a relative path led, for a message: a reader may expect the working directory. */
  private static String resolvedFrom(String text, Path resolved) {
    return Path.of(text).isAbsolute() ? "" : " (" + resolved + ")";
  }

  /**
   * A file SUDP will write ({@link RelativePaths}), or null when not given: its directory must
   * exist, and the file be writable if it exists.
   */
  Path writableFile(String key) {
    String text = string(key, "");
    if (text.isEmpty()) {
      return null;
    }
    Path file = source.paths().resolve(text);
    Path dir = file.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      problem(key, "'" + text + "': directory " + dir + " does not exist");
      return null;
    }
    if (Files.isDirectory(file)
        || (Files.exists(file) && !Files.isWritable(file))
        || !Files.isWritable(dir)) {
      problem(key, "'" + text + "' cannot be written");
      return null;
    }
    return file;
  }

  /** Reports every key this node has but nobody read: a typo or an option that does not exist. */
  void rejectUnknownKeys() {
    for (String key : values.keySet()) {
      if (!read.contains(key)) {
        String guess = DidYouMean.closest(key, read);
        problem(
            key,
            guess != null
                ? "unknown key (did you mean '" + guess + "'?)"
                : "unknown key (known here: " + String.join(", ", read) + ")");
      }
    }
  }
}
