package io.sudp.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Whether a process ignores SIGHUP, the signal {@code sudp reload} sends. A process started under
 * {@code nohup}, or by a parent that ignores it, inherits the ignoring, and the JVM then installs
 * no handler for it: a reload would be lost without a word. Linux tells from {@code
 * /proc/PID/status}; elsewhere nothing is known and nothing is assumed.
 */
final class Hangup {
  private static final long SIGHUP_BIT = 1L; // signal 1: bit 0 of the mask

  private Hangup() {}

  /** True if {@code pid} is known to ignore SIGHUP. */
  static boolean ignoredBy(long pid) {
    try {
      return ignored(Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")));
    } catch (IOException | RuntimeException unknown) {
      return false;
    }
  }

  /** True if the {@code SigIgn} line of a {@code /proc/PID/status} text has SIGHUP's bit. */
  static boolean ignored(List<String> status) {
    return status.stream()
        .filter(line -> line.startsWith("SigIgn:"))
        .findFirst()
        .map(line -> (Long.parseUnsignedLong(line.substring(7).trim(), 16) & SIGHUP_BIT) != 0)
        .orElse(false);
  }

  /**
   * What to put before a command so that it starts with SIGHUP's default action although this
   * process ignores it: {@code env --default-signal=HUP} (GNU coreutils 8.31 or later), if this
   * process ignores it and that works here; else nothing.
   */
  static List<String> restoringPrefix() {
    if (!ignoredBy(ProcessHandle.current().pid())) {
      return List.of();
    }
    List<String> prefix = List.of("/usr/bin/env", "--default-signal=HUP");
    try {
      Process probe = new ProcessBuilder(concat(prefix, "true")).start();
      return probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0 ? prefix : List.of();
    } catch (IOException e) {
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
  }

  private static List<String> concat(List<String> prefix, String command) {
    return Stream.concat(prefix.stream(), Stream.of(command)).toList();
  }
}
