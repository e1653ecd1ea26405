package io.sudp.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sudp.testing.LockHolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PID file names its process or is not there: one that cannot be written leaves nothing behind,
 * and one held by a live process without naming it is reported as such, not as no instance.
 */
class PidFileTest {
  private static final Path FULL = Path.of("/dev/full"); // each write: No space left on device

  @TempDir Path dir;

  @Test
  void holdsThisProcessAndGoesWithIt() throws Exception {
    Path path = dir.resolve("run").resolve("demo.pid");
    try (PidFile file = PidFile.acquire(path)) {
      assertThat(PidFile.readPid(path)).contains(ProcessHandle.current().pid());
      assertThat(file.stalePid()).isEmpty();
    }
    assertThat(path).doesNotExist();
  }

  @Test
  void aPidThatCannotBeWrittenFailsSayingWhichFileAndWhyAndLeavesNoFile() throws Exception {
    Path path = dir.resolve("demo.pid");
    Files.createSymbolicLink(path, FULL);

    assertThatThrownBy(() -> PidFile.acquire(path))
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(PidFile.HeldException.class)
        .hasMessage("cannot write the PID file " + path + ": No space left on device");
    assertThat(Files.exists(path, LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(FULL).exists();
  }

  @Test
  void aFileThatNeverEndsIsReadNoFurtherThanAPid() {
    assertThat(PidFile.readPid(FULL)).isEmpty();
    assertThat(PidFile.unnamedHolder(FULL)).isEmpty();
  }

  @Test
  void aFileHeldByALiveProcessWithoutItsPidSaysWhatItHolds() throws Exception {
    Path path = dir.resolve("demo.pid");
    try (LockHolder holder = LockHolder.hold(path, dir)) {
      assertThat(PidFile.unnamedHolder(path)).contains("is empty");
      Files.writeString(path, "not a pid\n");
      assertThat(PidFile.unnamedHolder(path)).contains("holds no PID");
      Process gone = new ProcessBuilder("true").start();
      gone.waitFor();
      Files.writeString(path, gone.pid() + "\n");
      assertThat(PidFile.unnamedHolder(path))
          .contains("names pid " + gone.pid() + ", which is not a running SUDP process");
      assertThatThrownBy(() -> PidFile.acquire(path)).isInstanceOf(PidFile.HeldException.class);
    }
    assertThat(PidFile.unnamedHolder(path)).isEmpty();
    assertThat(PidFile.unnamedHolder(dir.resolve("none.pid"))).isEmpty();
  }
}
