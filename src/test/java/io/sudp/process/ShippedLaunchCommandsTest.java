package io.sudp.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shipped ways to run an instance under a supervisor start the JVM with {@code
 * -XX:+ExitOnOutOfMemoryError}, so that a process out of memory exits and is restarted.
 */
class ShippedLaunchCommandsTest {
  @Test
  void bothSystemdUnitsStartTheJvmWithTheOption() throws Exception {
    List<Path> units;
    try (Stream<Path> files = Files.list(Path.of("config", "systemd"))) {
      units = files.filter(file -> file.toString().endsWith(".service")).sorted().toList();
    }
    assertThat(units)
        .extracting(unit -> unit.getFileName().toString())
        .containsExactly("sudp-client.service", "sudp-server.service");
    for (Path unit : units) {
      Matcher execStart = Pattern.compile("(?m)^ExecStart=(.*)$").matcher(Files.readString(unit));
      assertThat(execStart.find()).as(unit + ": ExecStart").isTrue();
      assertThat(execStart.group(1).split(" "))
          .as(unit + ": ExecStart")
          .startsWith("/usr/bin/java")
          .contains(OutOfMemoryExit.JVM_OPTION);
    }
  }

  @Test
  void theDockerImagesEntrypointStartsTheJvmWithTheOption() throws Exception {
    Matcher entrypoint =
        Pattern.compile("(?m)^ENTRYPOINT \\[(.*)]$")
            .matcher(Files.readString(Path.of("docker", "Dockerfile")));
    assertThat(entrypoint.find()).as("ENTRYPOINT in docker/Dockerfile").isTrue();
    assertThat(entrypoint.group(1).split(", "))
        .startsWith("\"java\"")
        .contains("\"" + OutOfMemoryExit.JVM_OPTION + "\"");
  }
}
