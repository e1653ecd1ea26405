package io.sudp.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Assumptions;

/**
 * A real operating-system process started by a test, with its output in a file; closing it sends
 * SIGTERM and waits, so nothing outlives the test. It runs with a runtime directory of its test's
 * own (see {@link #privateRuntime}).
 */
public final class RealProcess implements AutoCloseable {
  private final Process process;
  private final Path output;

  private RealProcess(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  /** A process a test started itself, with its output in {@code output}. */
  public static RealProcess of(Process process, Path output) {
    return new RealProcess(process, output);
  }

  public static RealProcess start(Path dir, String name, List<String> command) throws IOException {
    return start(dir, name, Map.of(), command);
  }

  /** As {@link #start(Path, String, List)}, with {@code environment} added to the process's. */
  public static RealProcess start(
      Path dir, String name, Map<String, String> environment, List<String> command)
      throws IOException {
    Path output = dir.resolve(name + ".log");
    ProcessBuilder builder = privateRuntime(new ProcessBuilder(command), dir);
    builder.environment().putAll(environment);
    Process process = builder.redirectErrorStream(true).redirectOutput(output.toFile()).start();
    return new RealProcess(process, output);
  }

  /**
   * Sets {@code $XDG_RUNTIME_DIR} of {@code builder}'s processes to {@link #runtimeDirectory}: an
   * instance without {@code daemon.pid-file} takes its PID file there instead of in the directory
   * of the user ({@code $XDG_RUNTIME_DIR/sudp} or {@code /tmp/sudp-USER}), which the tests of
   * another checkout running at the same time would share. Returns {@code builder}.
   */
  public static ProcessBuilder privateRuntime(ProcessBuilder builder, Path dir) throws IOException {
    builder.environment().put("XDG_RUNTIME_DIR", runtimeDirectory(dir).toString());
    return builder;
  }

  /**
   * The runtime directory of the processes a test starts in its scratch directory {@code dir}:
   * {@code dir/runtime}, private to the user as a runtime directory is, gone with {@code dir}.
   */
  public static Path runtimeDirectory(Path dir) throws IOException {
    Path runtime = dir.resolve("runtime").toAbsolutePath();
    if (!Files.isDirectory(runtime)) {
      Files.createDirectories(
          runtime,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    return runtime;
  }

  /** The packaged SUDP jar, run with the same Java as the test. */
  public static RealProcess sudp(Path dir, String name, String... arguments) throws IOException {
    return sudp(dir, name, List.of(), arguments);
  }

  /** The packaged SUDP jar, run with the same Java as the test and {@code jvmOptions}. */
  public static RealProcess sudp(
      Path dir, String name, List<String> jvmOptions, String... arguments) throws IOException {
    return start(dir, name, Map.of(), sudpCommand(jvmOptions, arguments));
  }

  /** The packaged SUDP jar with {@code environment} added to the process's. */
  public static RealProcess sudp(
      Path dir, String name, Map<String, String> environment, String... arguments)
      throws IOException {
    return start(dir, name, environment, sudpCommand(List.of(), arguments));
  }

  private static List<String> sudpCommand(List<String> jvmOptions, String... arguments) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar());
    command.addAll(List.of(arguments));
    return command;
  }

  public static String jar() {
    String jar = System.getProperty("sudp.jar", "target/sudp.jar");
    if (!new File(jar).isFile()) {
      throw new IllegalStateException(jar + " is missing: run the tests with mvn verify");
    }
    return jar;
  }

  /**
   * The full path of a third-party program. Skips the test where it is not installed, except in CI
   * (CI=true), where {@code .ci/run} installs it and its absence is a failure.
   */
  public static String program(String name, String debianPackage) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String candidate : List.of(dir, "/usr/sbin", "/sbin")) {
        Path path = Path.of(candidate, name);
        if (Files.isExecutable(path)) {
          return path.toString();
        }
      }
    }
    missing(name + " is not installed (Debian package " + debianPackage + ")");
    return null;
  }

  /**
   * {@code file}, which a real program needs (a module of it); if it is missing, the test is
   * skipped, except under CI, where it fails.
   */
  public static Path installed(Path file, String debianPackage) {
    if (!Files.exists(file)) {
      missing(file + " is not installed (Debian package " + debianPackage + ")");
    }
    return file;
  }

  /**
   * Skips the test for want of {@code message}'s program or feature, except in CI (CI=true), where
   * {@code .ci/run} provides it and its absence fails the test.
   */
  public static void missing(String message) {
    if ("true".equals(System.getenv("CI"))) {
      throw new IllegalStateException(message);
    }
    Assumptions.abort(message);
  }

  /**
   * Waits until something accepts TCP connections on loopback {@code port}, polling. If this
   * process ends or {@code timeout} passes first, stops it (nobody else would) and fails with its
   * output. A plain poll, not Awaitility: the benchmarks use it without test libraries.
   */
  public void awaitListening(int port, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (isAlive() && System.nanoTime() < deadline) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return;
      } catch (IOException e) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
      }
    }
    try {
      close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new IllegalStateException("not listening on port " + port + ": " + output());
  }

  /** Sends a signal by name ({@code KILL}, {@code STOP}, {@code CONT}) and waits for kill(1). */
  public void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + name + " failed");
    }
  }

  /** Sends SIGKILL and waits until the process is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public String output() throws IOException {
    return Files.readString(output);
  }

  /** Whether the process's output so far contains each of {@code fragments}. */
  public boolean printed(String... fragments) throws IOException {
    String output = output();
    for (String fragment : fragments) {
      if (!output.contains(fragment)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Waits until the output holds {@code text} {@code times} times, polling. If this process ends or
   * {@code timeout} passes first, fails with its output (the caller stops it). A plain poll, not
   * Awaitility: the benchmarks use it without test libraries.
   */
  public void awaitPrinted(String text, int times, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (occurrences(output(), text) < times) {
      if (!isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("no '" + text + "' from:\n" + output());
      }
      Thread.sleep(20);
    }
  }

  private static int occurrences(String output, String text) {
    int count = 0;
    for (int at = output.indexOf(text); at >= 0; at = output.indexOf(text, at + text.length())) {
      count++;
    }
    return count;
  }

  /** Bytes the process has written to its output so far. */
  public long outputSize() throws IOException {
    return Files.size(output);
  }

  /** Waits for a process that ends by itself (a command), up to a minute; its exit status. */
  public int awaitExit() throws InterruptedException {
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException("still running after 60 s");
    }
    return process.exitValue();
  }

  /** Sends SIGTERM and returns the exit status. */
  public int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      stop();
    }
  }
}
