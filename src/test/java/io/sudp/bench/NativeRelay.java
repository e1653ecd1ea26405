package io.sudp.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The C relay of {@code src/test/c/udp_relay.c} (one thread, epoll, {@code recvmmsg}/{@code
 * sendmmsg}), compiled with gcc into {@code target/} when the benchmark needs it: the floor a relay
 * process made for speed sets, below the Java {@link RelayHop}.
 */
final class NativeRelay {
  private static final Path SOURCE = Path.of("src", "test", "c", "udp_relay.c");
  private static final Path BINARY = Path.of("target", "udp_relay");

  private NativeRelay() {}

  /**
   * The compiled relay, built now if it is missing or older than its source.
   *
   * @throws IllegalStateException why it cannot be built here (no source: not run from the project
   *     directory; no gcc)
   */
  static Path binary() throws IOException, InterruptedException {
    if (!Files.isRegularFile(SOURCE)) {
      throw new IllegalStateException(SOURCE + " not found: run from the project directory");
    }
    if (Files.isExecutable(BINARY)
        && Files.getLastModifiedTime(BINARY).compareTo(Files.getLastModifiedTime(SOURCE)) > 0) {
      return BINARY.toAbsolutePath();
    }
    Files.createDirectories(BINARY.getParent());
    Process gcc;
    try {
      gcc =
          new ProcessBuilder(List.of("gcc", "-O2", "-o", BINARY.toString(), SOURCE.toString()))
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      throw new IllegalStateException("gcc is not installed: " + e.getMessage(), e);
    }
    String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!gcc.waitFor(60, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
      throw new IllegalStateException("gcc failed: " + output.strip());
    }
    return BINARY.toAbsolutePath();
  }
}
