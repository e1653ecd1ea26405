package io.sudp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SIGHUP ignored or not, read from the SigIgn mask of /proc/PID/status. */
class HangupTest {
  private static List<String> status(String mask) {
    return List.of(
        "Name:\tjava",
        "SigBlk:\t0000000000000001",
        "SigIgn:\t" + mask,
        "SigCgt:\t0000000000000000");
  }

  @Test
  void onlySighupsBitCounts() {
    assertThat(Hangup.ignored(status("0000000000000003"))).isTrue(); // nohup in the background
    assertThat(Hangup.ignored(status("0000000000000001"))).isTrue();
    assertThat(Hangup.ignored(status("0000000000000002"))).isFalse(); // SIGINT only
    assertThat(Hangup.ignored(status("8000000000000000"))).isFalse();
    assertThat(Hangup.ignored(List.of("Name:\tjava"))).isFalse();
  }

  @Test
  void aProcessStartedUnderNohupIsSeenToIgnoreIt() throws Exception {
    Process child =
        new ProcessBuilder("nohup", "cat", "/proc/self/status").redirectErrorStream(true).start();
    List<String> status =
        new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    assertThat(child.waitFor()).isZero();
    assertThat(Hangup.ignored(status)).as(String.join("\n", status)).isTrue();
    assertThat(Hangup.ignoredBy(Long.MAX_VALUE)).as("no such process").isFalse();
  }
}
