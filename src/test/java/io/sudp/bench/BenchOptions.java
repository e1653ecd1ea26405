package io.sudp.bench;

/** A benchmark's {@code --name value} options. */
final class BenchOptions {
  private BenchOptions() {}

  static int intOption(String[] args, String name, int fallback) {
    return Integer.parseInt(option(args, name, String.valueOf(fallback)));
  }

  static String option(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }
}
