package io.sudp.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A Maven local repository for a build a test runs offline: the machine's own repository, seen
 * through symbolic links, with the SUDP library just built installed in it. The library goes
 * nowhere else, so the machine's repository gets no SUDP snapshot that would go stale or be
 * replaced by another checkout's tests while this one builds.
 */
public final class LocalRepository {
  private static final Path LIBRARY = Path.of("io", "sudp", "sudp");

  private LocalRepository() {}

  /**
   * {@code dir/repository}: every artifact of {@code machine}, and {@code jar} with {@code pom} as
   * io.sudp:sudp:{@code version}.
   */
  public static Path withLibrary(Path dir, Path machine, Path jar, Path pom, String version)
      throws IOException {
    Path repository = dir.resolve("repository");
    linkAllBut(machine, repository, LIBRARY);
    Path installed = Files.createDirectories(repository.resolve(LIBRARY).resolve(version));
    Files.copy(jar, installed.resolve("sudp-" + version + ".jar"));
    Files.copy(pom, installed.resolve("sudp-" + version + ".pom"));
    return repository;
  }

  /**
   * Links each entry of {@code from} into {@code to}, but makes real directories along {@code
   * path}, so that what is written there stays in {@code to}.
   */
  private static void linkAllBut(Path from, Path to, Path path) throws IOException {
    Files.createDirectories(to);
    String own = path.getName(0).toString();
    if (Files.isDirectory(from)) {
      try (Stream<Path> entries = Files.list(from)) {
        for (Path entry : entries.toList()) {
          if (!entry.getFileName().toString().equals(own)) {
            Files.createSymbolicLink(to.resolve(entry.getFileName()), entry);
          }
        }
      }
    }
    if (path.getNameCount() > 1) {
      linkAllBut(from.resolve(own), to.resolve(own), path.subpath(1, path.getNameCount()));
    }
  }
}
