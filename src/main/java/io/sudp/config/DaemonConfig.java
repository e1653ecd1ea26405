package io.sudp.config;

import java.nio.file.Path;

/**
 * The {@code daemon:} section: where {@code sudp start} keeps the PID file of this instance, and
 * the log file it uses when {@code logging.file} names none. Both default to a per-user runtime
 * directory, so instances with different names never collide.
 */
public record DaemonConfig(Path pidFile, Path logFile) {

  /** Console output of the daemon's JVM (start-up failures, crashes), next to the PID file. */
  public Path consoleFile() {
    String name = pidFile.getFileName().toString().replaceFirst("\\.pid$", "");
    return pidFile.resolveSibling(name + ".out");
  }
}
