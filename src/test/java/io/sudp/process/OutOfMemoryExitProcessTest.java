package io.sudp.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real JVM with a 32 MiB heap, the guard installed as {@code sudp} installs it, and a thread that
 * allocates more than the heap: a real OutOfMemoryError, thrown by the JVM. No public path of the
 * jar runs out of memory deterministically, so the process runs {@link Victim} instead.
 */
class OutOfMemoryExitProcessTest {
  @TempDir Path dir;

  /** Installs the guard, then dies of an OutOfMemoryError in a thread; exits 0 if it survives. */
  static final class Victim {
    static volatile long[] kept;

    public static void main(String[] args) throws InterruptedException {
      OutOfMemoryExit.install();
      Thread thread = new Thread(() -> kept = new long[Integer.MAX_VALUE - 8], "allocator");
      thread.start();
      thread.join();
      System.exit(0);
    }
  }

  private Result victim(String... jvmOptions) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx32m");
    command.addAll(List.of(jvmOptions));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Victim.class.getName()));
    Path output = dir.resolve("victim.log");
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException("still running after 60 s: " + Files.readString(output));
    }
    return new Result(process.exitValue(), Files.readString(output));
  }

  private record Result(int status, String output) {}

  @Test
  void withoutTheJvmOptionTheGuardWarnsAtStartAndHaltsWithStatus3() throws Exception {
    Result result = victim();

    assertThat(result.status()).as(result.output()).isEqualTo(3);
    assertThat(result.output())
        .contains("WARN", "the JVM runs without -XX:+ExitOnOutOfMemoryError")
        .contains(
            "sudp: java.lang.OutOfMemoryError: Java heap space in thread \"allocator\":"
                + " exiting with status 3 for the supervisor to restart the process");
  }

  @Test
  void withTheJvmOptionTheJvmExitsWithTheSameStatusAndNothingWarns() throws Exception {
    Result result = victim(OutOfMemoryExit.JVM_OPTION);

    assertThat(result.status()).as(result.output()).isEqualTo(3);
    assertThat(result.output())
        .contains("Terminating due to java.lang.OutOfMemoryError: Java heap space")
        .doesNotContain("WARN");
  }
}
