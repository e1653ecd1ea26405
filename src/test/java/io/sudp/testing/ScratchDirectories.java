package io.sudp.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Scratch directories of files that processes under test wrote: configs, logs, PID files. */
public final class ScratchDirectories {
  private ScratchDirectories() {}

  /** Deletes {@code dir} and the files in it (it holds no subdirectories). */
  public static void delete(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
    Files.delete(dir);
  }
}
