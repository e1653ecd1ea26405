package io.sudp.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.testing.RealProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code src/test/python/sequential_latency.py} in short, so that the script behind the third-party
 * rows of {@code docs/performance.md} keeps running as documented: a Python client's sequential
 * round trips straight to an echo, through two socat relays and through the packaged jar's client
 * and server. Its figures depend on the machine and are printed, not judged.
 */
class SequentialLatencyScriptIT {
  private static final Pattern ROW =
      Pattern.compile(
          "\\| (raw|socat|sudp) \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\| \\d+ \\|");

  @TempDir Path dir;

  @Test
  void printsARowOfRoundTripTimesForEachPath() throws Exception {
    RealProcess.program("socat", "socat");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        List.of(
            RealProcess.program("python3", "python3"),
            "src/test/python/sequential_latency.py",
            "--jar",
            RealProcess.jar(),
            "--java",
            java,
            "--samples",
            "300",
            "--warm-up-seconds",
            "0",
            "--paths",
            "raw,socat,sudp");
    try (RealProcess script = RealProcess.start(dir, "script", command)) {
      await().atMost(Duration.ofMinutes(5)).until(() -> !script.isAlive());
      String output = script.output();
      System.out.println(output);

      assertThat(script.awaitExit()).as(output).isZero();
      assertThat(output.lines().filter(line -> ROW.matcher(line).matches())).as(output).hasSize(3);
    }
  }
}
