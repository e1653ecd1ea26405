package io.sudp.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A sample Maven project of {@code examples/}, built as its documentation says ({@code mvn
 * package}) but offline and in a copy in the test's scratch directory, so that a build in the
 * checkout (or another test's) is neither used nor disturbed.
 */
public final class SampleProjects {
  private SampleProjects() {}

  /**
   * Copies {@code sample}'s sources to {@code dir} and runs {@code mvn -o package} there with
   * {@code repository} as the local Maven repository; fails the test with Maven's output unless it
   * succeeds within 5 minutes. Returns the copy.
   */
  public static Path build(Path sample, Path dir, Path repository)
      throws IOException, InterruptedException {
    String name = sample.getFileName().toString();
    Path project = copy(sample, dir.resolve(name));
    Path log = dir.resolve(name + "-build.log");
    Process maven =
        new ProcessBuilder(
                Path.of(System.getProperty("maven.home"), "bin", "mvn").toString(),
                "-o",
                "-B",
                "-q",
                "-Dmaven.repo.local=" + repository,
                "-f",
                project.resolve("pom.xml").toString(),
                "package")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!maven.waitFor(5, TimeUnit.MINUTES)) {
      maven.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    assertThat(maven.isAlive() ? -1 : maven.exitValue())
        .as("mvn -o package of %s:\n%s", sample, Files.readString(log))
        .isZero();
    return project;
  }

  /** {@code from}'s sources (not what a build there left in target/) under {@code to}. */
  private static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path relative = from.relativize(file);
        if (relative.startsWith("target")) {
          continue;
        }
        Path target = to.resolve(relative.toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
    return to;
  }
}
