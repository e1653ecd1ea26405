package io.sudp.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import io.sudp.config.LoggingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A log file rotates by size and keeps a bounded number of old files, and counts the lines it
 * cannot take; debug switched off returns to the configured level.
 */
class LogSetupTest {
  @TempDir Path dir;

  @AfterEach
  void restoreTheConsole() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    new ContextInitializer(context).autoConfig();
    // The configured level outlives the context: later tests that switch debug off go back to it.
    LogSetup.setLevel("info");
  }

  @Test
  void theFileRotatesBySizeAndKeepsMaxFiles() throws Exception {
    Path file = dir.resolve("sudp.log");
    LogSetup.apply(new LoggingConfig("info", file, 64 * 1024, 2), false, false);
    Logger log = LoggerFactory.getLogger("io.sudp.test");
    String line = "x".repeat(200);
    // The size is checked once a second, so write until the rotations have happened.
    await()
        .until(
            () -> {
              for (int i = 0; i < 2_000; i++) {
                log.info(line);
              }
              return Files.exists(dir.resolve("sudp.log.2"));
            });
    for (int i = 0; i < 20_000; i++) {
      log.info(line);
    }

    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(each -> each.getFileName().toString()))
          .containsExactlyInAnyOrder("sudp.log", "sudp.log.1", "sudp.log.2");
    }
    assertThat(Files.readString(file)).contains(line);
  }

  @Test
  void linesTheFileCannotTakeAreCountedAndTheFileIsWrittenAgainOnceItCan() throws Exception {
    Path file = dir.resolve("full.log");
    Files.createSymbolicLink(file, Path.of("/dev/full")); // each write: No space left on device
    LogSetup.apply(new LoggingConfig("info", file, 1 << 20, 1), false, false);
    Logger log = LoggerFactory.getLogger("io.sudp.test");
    long before = LogSetup.lostLines().count();
    log.info("lost");
    log.info("lost too");
    assertThat(LogSetup.lostLines().count() - before).isEqualTo(2);

    Files.delete(file); // room again
    log.info("written");
    assertThat(LogSetup.lostLines().count() - before).isEqualTo(2);
    assertThat(Files.readString(file)).endsWith(" - written\n").doesNotContain("lost");
  }

  @Test
  void debugReturnsToTheConfiguredLevel() throws Exception {
    LogSetup.apply(new LoggingConfig("warn", dir.resolve("debug.log"), 1 << 20, 1), true, false);
    assertThat(LogSetup.isDebug()).isTrue();
    assertThat(LoggerFactory.getLogger("io.sudp.dump").isDebugEnabled()).isTrue();

    LogSetup.setDebug(false);
    assertThat(LogSetup.isDebug()).isFalse();
    assertThat(LoggerFactory.getLogger("io.sudp").isInfoEnabled()).isFalse();
    assertThat(LoggerFactory.getLogger("io.sudp").isWarnEnabled()).isTrue();
  }
}
