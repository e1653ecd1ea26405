package io.sudp.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * docs/embedding.md shows the files of the sample application word for word, so that what the guide
 * says is what {@code EmbeddedAppIT} builds and runs.
 */
class EmbeddingGuideTest {
  private static final Path RESOURCES = Path.of("examples/embedded-app/src/main/resources");

  @ParameterizedTest
  @ValueSource(
      strings = {"routes/tunnel.camel.yaml", "routes/ticks.camel.yaml", "application.properties"})
  void theGuideShowsTheSamplesFileAsItIs(String file) throws Exception {
    assertThat(Files.readString(Path.of("docs/embedding.md")))
        .contains("\n" + Files.readString(RESOURCES.resolve(file)) + "```\n");
  }
}
