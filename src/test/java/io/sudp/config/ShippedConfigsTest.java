package io.sudp.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The configurations shipped under config/ are valid, but for the files an operator provides. */
class ShippedConfigsTest {
  @Test
  void everyShippedConfigurationValidates() throws Exception {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(Path.of("config"))) {
      files = walk.filter(file -> file.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(8);
    for (Path file : files) {
      try {
        SudpConfig.load(file, Map.of("SUDP_PASSWORD", "from the environment"));
      } catch (ConfigException e) {
        assertThat(e.problems())
            .as(file.toString())
            .allMatch(problem -> problem.contains("'/etc/sudp/"));
      }
    }
  }
}
