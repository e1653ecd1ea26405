package io.sudp.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.testing.RealProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code src/test/python/sequential_latency.py} in short, so that the script behind the third-party
 * rows of {@code docs/performance.md} keeps running as documented: a Python client's sequential
 * round trips straight to an echo, through two socat relays and through the packaged jar's client
 * and server, with and without a warm-up; nothing lost but late replies, and no process of the run
 * left when it ends. Its figures depend on the machine and are printed, not judged.
 */
class SequentialLatencyScriptIT {
  private static final Pattern ROW =
      Pattern.compile(
          "\\| (raw|socat|sudp|sudp-warm-up) \\| [0-9.]+ \\| [0-9.]+ \\| n/a \\| [0-9.]+ \\| (\\d+) \\|");

  @TempDir Path dir;

  @Test
  void printsARowOfRoundTripTimesForEachPathAndLeavesNoProcessBehind() throws Exception {
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
            "--sudp-warm-up",
            "1s");
    Set<ProcessHandle> started = new HashSet<>();
    try (RealProcess script = RealProcess.start(dir, "script", command)) {
      ProcessHandle handle = ProcessHandle.of(script.pid()).orElseThrow();
      try {
        await()
            .atMost(Duration.ofMinutes(5))
            .until(
                () -> {
                  handle.descendants().forEach(started::add);
                  return !script.isAlive();
                });
      } catch (ConditionTimeoutException e) {
        throw new AssertionError("still running after 5 minutes:\n" + script.output(), e);
      }
      String output = script.output();
      System.out.println(output);

      assertThat(script.awaitExit()).as(output).isZero();
      Map<String, Integer> lost = new HashMap<>();
      output
          .lines()
          .map(ROW::matcher)
          .filter(Matcher::matches)
          .forEach(row -> lost.put(row.group(1), Integer.parseInt(row.group(2))));
      assertThat(lost).as(output).containsOnlyKeys("raw", "socat", "sudp", "sudp-warm-up");
      assertThat(lost.get("raw") + lost.get("socat"))
          .as("lost straight and through socat")
          .isZero();
      assertThat(lost.get("sudp") + lost.get("sudp-warm-up"))
          .as("lost through the tunnel (a reply later than 1 s counts)")
          .isLessThan(60);
      assertThat(started).as("the echo, socat and the jars").hasSizeGreaterThanOrEqualTo(3);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(started)
                      .as("every process it started")
                      .noneMatch(ProcessHandle::isAlive));
    }
  }
}
