package io.sudp.config;

import java.nio.file.Path;

/**
 * The {@code logging:} section. Logs go to the console unless a file is named (a daemon always logs
 * to a file); files rotate by size so a process left alone for months cannot fill the disk.
 *
 * @param level the level of SUDP's own loggers: error, warn, info, debug or trace
 * @param file the log file, or null for the console
 * @param maxFileBytes the size at which the file is rotated
 * @param maxFiles rotated files kept besides the current one
 */
public record LoggingConfig(String level, Path file, long maxFileBytes, int maxFiles) {
  public static final LoggingConfig DEFAULT = new LoggingConfig("info", null, 10L << 20, 5);

  /** The same settings at another level. */
  public LoggingConfig withLevel(String newLevel) {
    return new LoggingConfig(newLevel, file, maxFileBytes, maxFiles);
  }

  /** The same settings, logging to {@code logFile}. */
  public LoggingConfig toFile(Path logFile) {
    return new LoggingConfig(level, logFile, maxFileBytes, maxFiles);
  }
}
