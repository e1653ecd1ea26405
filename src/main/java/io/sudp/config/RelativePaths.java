package io.sudp.config;

import java.nio.file.Path;

/**
 * The one rule for paths a configuration names: a relative path is taken from the directory of the
 * file that names it (the configuration file, or an instance file), never from the working
 * directory, so that a file means the same whoever starts it from wherever (a shell, systemd, a
 * container, {@code sudp start}). A value from the environment that overrides a key counts as
 * written in the file. Absolute paths stay as they are. A configuration read from the class path
 * has no directory on disk: its relative paths are taken from the working directory.
 */
record RelativePaths(Path directory) {
  /** The rule for the paths {@code file} names. */
  static RelativePaths of(Path file) {
    return new RelativePaths(file.toAbsolutePath().getParent());
  }

  Path resolve(String path) {
    return directory.resolve(path);
  }
}
