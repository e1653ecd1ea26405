package io.sudp.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A configuration an application ships inside itself, named {@code classpath:NAME}: validated as a
 * file is, its problems naming the resource and line, its relative paths taken from the working
 * directory (a resource has no directory on disk). Here the class path is a directory of its own.
 */
class ClasspathConfigTest {
  @TempDir Path classpath;
  private ClassLoader application;

  @BeforeEach
  void anApplicationClassPath() throws Exception {
    Files.createDirectories(classpath.resolve("app"));
    application =
        new URLClassLoader(new URL[] {classpath.toUri().toURL()}, getClass().getClassLoader());
  }

  @Test
  void aResourceLoadsWithItsRelativePathsFromTheWorkingDirectory() throws Exception {
    write(
        "app/edge.yaml",
        """
        logging: {file: target/edge.log}
        client:
          server: ws://127.0.0.1:1/sudp
          tunnels:
            - {name: dns, listen: "127.0.0.1:5353", destination: "192.0.2.53:53"}
        """);

    SudpConfig config = SudpConfig.load("classpath:app/edge.yaml", application);

    assertThat(config.name()).isEqualTo("edge");
    assertThat(config.client().tunnels()).extracting(TunnelConfig::name).containsExactly("dns");
    assertThat(config.logging().file())
        .isEqualTo(Path.of("").toAbsolutePath().resolve("target/edge.log"));
    assertThat(SudpConfig.load("classpath:/app/edge.yaml", application).name()).isEqualTo("edge");
  }

  @Test
  void problemsNameTheResourceAndTheLine() throws Exception {
    write(
        "app/bad.yaml",
        """
        client:
          server: ws://127.0.0.1:1/sudp
          keepalive: often
          tunnels:
            - {name: dns, listen: "127.0.0.1:5353", destination: "192.0.2.53:53"}
        """);
    write("app/broken.yaml", "client:\n  server: [ws://127.0.0.1:1/sudp\n");

    assertThat(problems("classpath:app/bad.yaml"))
        .singleElement()
        .asString()
        .startsWith("classpath:app/bad.yaml:3: client.keepalive: ");
    assertThat(problems("classpath:app/broken.yaml"))
        .singleElement()
        .asString()
        .matches("classpath:app/broken\\.yaml:\\d+: not valid YAML: .*");
    assertThat(problems("classpath:app/missing.yaml"))
        .containsExactly(
            "classpath:app/missing.yaml: cannot read: no such resource on the class path");
  }

  @Test
  void aLocationWithoutThePrefixIsAFile() throws Exception {
    Path file = write("app/file.yaml", "echo: {listen: 127.0.0.1:0}\n");

    assertThat(SudpConfig.load(file.toString(), application).echo()).isNotNull();
  }

  private List<String> problems(String location) {
    return catchThrowableOfType(() -> SudpConfig.load(location, application), ConfigException.class)
        .problems();
  }

  private Path write(String name, String yaml) throws Exception {
    return Files.writeString(classpath.resolve(name), yaml);
  }
}
