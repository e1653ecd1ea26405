package io.sudp.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Scratch directories of files that processes under test wrote: configs, logs, PID files. */
public final class ScratchDirectories {
  private ScratchDirectories() {}

  /** Deletes {@code dir} and everything in it (the processes' runtime directory too). */
  public static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }
}
