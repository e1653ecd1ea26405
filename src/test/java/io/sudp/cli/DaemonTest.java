package io.sudp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The JVM options {@code sudp start} gives the background process. */
class DaemonTest {
  @Test
  void theBackgroundProcessExitsOnOutOfMemoryAfterTheOptionsItWasGiven() {
    assertThat(Daemon.jvmOptions(List.of("-Xmx256m", "-XX:+UseParallelGC")))
        .containsExactly("-Xmx256m", "-XX:+UseParallelGC", "-XX:+ExitOnOutOfMemoryError");
    assertThat(Daemon.jvmOptions(List.of())).containsExactly("-XX:+ExitOnOutOfMemoryError");
  }

  @Test
  void optionsThatSayWhatAnOutOfMemoryErrorDoesAreKeptAsGiven() {
    for (String option :
        List.of(
            "-XX:+ExitOnOutOfMemoryError",
            "-XX:-ExitOnOutOfMemoryError",
            "-XX:+CrashOnOutOfMemoryError",
            "-XX:-CrashOnOutOfMemoryError")) {
      assertThat(Daemon.jvmOptions(List.of("-Xmx256m", option)))
          .containsExactly("-Xmx256m", option);
    }
  }
}
