package io.sudp.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.testing.Configs;
import io.sudp.testing.FreePorts;
import io.sudp.testing.LocalRepository;
import io.sudp.testing.RealProcess;
import io.sudp.testing.SampleProjects;
import io.sudp.testing.ScratchDirectories;
import io.sudp.testing.UdpApp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample host application {@code examples/embedded-app}, built with Maven offline against the
 * library jar just packaged and run as a real process: a datagram through the tunnel its own route
 * YAML declares comes back byte for byte from an echo behind a real SUDP server, and every log line
 * follows the application's own Log4j 2 configuration, SUDP's loggers too.
 */
class EmbeddedAppIT {
  private static final Path SAMPLE = Path.of("examples", "embedded-app");

  /** A line as SUDP's own logback.xml (in sudp.jar) writes it. */
  private static final String SUDP_LINE = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*";

  /** A line as Logback writes it without a configuration. */
  private static final String LOGBACK_DEFAULT_LINE = "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\[.*";

  @TempDir Path dir;

  @Test
  void theSampleApplicationCarriesADatagramThroughItsTunnelAndKeepsItsOwnLogging()
      throws Exception {
    String version = System.getProperty("sudp.version");
    assertThat(Files.readString(SAMPLE.resolve("pom.xml")))
        .as("examples/embedded-app/pom.xml depends on the SUDP of this build")
        .contains("<sudp.version>" + version + "</sudp.version>");
    Path app = build(version);
    try (JarFile jar = new JarFile(app.toFile())) {
      List<String> entries = jar.stream().map(ZipEntry::getName).toList();
      assertThat(entries)
          .filteredOn(entry -> entry.startsWith("ch/qos/logback/") || entry.equals("logback.xml"))
          .as("the library brings no logging binding or configuration")
          .isEmpty();
      assertThat(entries)
          .as("it brings Camel's core components and its routes under their own path")
          .contains(
              "META-INF/services/org/apache/camel/component/timer",
              "META-INF/services/org/apache/camel/component/log",
              "META-INF/services/org/apache/camel/component/direct",
              "META-INF/services/org/apache/camel/component/seda",
              "sudp/routes/client.camel.yaml");
    }

    int wsPort = FreePorts.tcp();
    int echoPort = FreePorts.udp();
    int tunnelPort = FreePorts.udp();
    Path server =
        Configs.write(
            dir,
            "server.yaml",
            """
            server:
              listen: 127.0.0.1:%1$d
              allow: ["127.0.0.1:%2$d"]
            echo:
              listen: 127.0.0.1:%2$d
            """
                .formatted(wsPort, echoPort));
    byte[] payload = new byte[1200];
    new Random(19).nextBytes(payload);
    try (RealProcess sudp = RealProcess.sudp(dir, "server", "run", "-c", server.toString());
        RealProcess host =
            run(
                app,
                Map.of(
                    "TUNNEL_SERVER", "ws://127.0.0.1:" + wsPort + "/sudp",
                    "TUNNEL_LISTEN", "127.0.0.1:" + tunnelPort,
                    "TUNNEL_DESTINATION", "127.0.0.1:" + echoPort));
        UdpApp udp = new UdpApp(tunnelPort)) {
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () ->
                  assertThat(udp.roundTrip("probe".getBytes(StandardCharsets.UTF_8)))
                      .as(() -> outputs(sudp, host))
                      .isNotNull());
      assertThat(udp.roundTrip(payload)).as(host.output()).isEqualTo(payload);

      await().until(() -> host.output().contains("the application goes on as before"));
      List<String> lines = host.output().lines().toList();
      assertThat(lines)
          .as("the application's own pattern, for its route and SUDP's loggers")
          .anyMatch(line -> line.matches("\\[embedded-app] .* ticks: the application goes on.*"))
          .anyMatch(line -> line.matches("\\[embedded-app] .* io\\.sudp\\.[\\w.]+: .*"))
          .as("neither SUDP's nor Logback's pattern, no second SLF4J binding")
          .noneMatch(line -> line.matches(SUDP_LINE) || line.matches(LOGBACK_DEFAULT_LINE))
          .noneMatch(line -> line.contains("SLF4J"));
      assertThat(sudp.isAlive()).isTrue();
    }
  }

  /** What the processes said, for a failure's message. */
  private static String outputs(RealProcess sudp, RealProcess host) {
    try {
      return "sudp run:\n" + sudp.output() + "\nembedded-app:\n" + host.output();
    } catch (IOException e) {
      return "(their output cannot be read: " + e + ")";
    }
  }

  /** The sample, copied and built offline against the library of this build: its jar. */
  private Path build(String version) throws IOException, InterruptedException {
    Path repository =
        LocalRepository.withLibrary(
            dir,
            Path.of(System.getProperty("maven.repository")),
            Path.of(System.getProperty("sudp.library")),
            Path.of("pom.xml"),
            version);
    try {
      return SampleProjects.build(SAMPLE, dir, repository).resolve("target/embedded-app.jar");
    } finally {
      ScratchDirectories.delete(repository); // its links only, not what they lead to
    }
  }

  private RealProcess run(Path jar, Map<String, String> environment) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar",
            jar.toString());
    builder.environment().putAll(environment);
    Path log = dir.resolve("embedded-app.log");
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    return RealProcess.of(builder.start(), log);
  }
}
