package io.sudp.cli;

import io.sudp.config.SudpConfig;
import io.sudp.ops.Failures;
import io.sudp.process.OutOfMemoryExit;
import io.sudp.process.PidFile;
import io.sudp.process.SafeDirectory;
import io.sudp.runtime.DataPathWarmUp;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code sudp start|stop|reload}: an instance in the background, found again through its PID file.
 * {@code start} launches this same program, with this JVM's options, as a process of its own
 * session whose console output goes to a file, and returns once the instance runs (or has failed,
 * showing why). The process exits on an OutOfMemoryError (see {@link #jvmOptions}).
 */
final class Daemon {
  /** The line the background process prints once it runs, followed by its PID. */
  static final String STARTED = "sudp-started pid=";

  private static final long START_TIMEOUT_SECONDS = 60;
  private static final long STOP_TIMEOUT_SECONDS = 30;

  private Daemon() {}

  static int start(
      Path file, SudpConfig config, String part, boolean debug, PrintStream out, PrintStream err) {
    Path pidFile = config.daemon().pidFile();
    Optional<ProcessHandle> running = PidFile.liveProcess(pidFile);
    if (running.isPresent()) {
      err.println(
          "sudp: instance '"
              + config.name()
              + "' is already running (pid "
              + running.get().pid()
              + ", "
              + pidFile
              + ")");
      return Sudp.FAILED;
    }
    if (refusedUnnamed(config, "not started", err)) {
      return Sudp.FAILED;
    }
    Path console = config.daemon().consoleFile();
    try {
      SafeDirectory.prepare(console.toAbsolutePath().getParent());
      List<String> command = new ArrayList<>(javaCommand());
      command.addAll(List.of(part, "-c", file.toAbsolutePath().toString(), Arguments.DAEMONIZED));
      if (debug) {
        command.add("--debug");
      }
      Process process =
          new ProcessBuilder(command)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectError(ProcessBuilder.Redirect.appendTo(console.toFile()))
              .start();
      BufferedReader lines =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      long timeoutSeconds = startTimeoutSeconds(config);
      List<String> said =
          CompletableFuture.supplyAsync(() -> untilStarted(lines))
              .get(timeoutSeconds, TimeUnit.SECONDS);
      String last = said.isEmpty() ? "" : said.get(said.size() - 1);
      if (last.startsWith(STARTED)) {
        Path log =
            config.logging().file() != null ? config.logging().file() : config.daemon().logFile();
        out.println(
            "sudp: instance '"
                + config.name()
                + "' started (pid "
                + last.substring(STARTED.length())
                + "); log "
                + log
                + ", pid file "
                + pidFile);
        return Sudp.OK;
      }
      process.waitFor(10, TimeUnit.SECONDS);
      if (!said.isEmpty()) {
        said.forEach(err::println); // why, even when the console file could not take it
        return Sudp.FAILED;
      }
      err.println("sudp: instance '" + config.name() + "' did not start; " + console + " says:");
      tail(console, 20).forEach(each -> err.println("  " + each));
      return Sudp.FAILED;
    } catch (TimeoutException e) {
      err.println(
          "sudp: instance '"
              + config.name()
              + "' not running after "
              + startTimeoutSeconds(config)
              + " s; see "
              + console
              + " and the log");
      return Sudp.FAILED;
    } catch (Exception e) {
      err.println("sudp: cannot start '" + config.name() + "': " + Failures.summary(e));
      return Sudp.FAILED;
    }
  }

  /**
   * What the background process says on its standard output up to the line that it runs: nothing
   * else, unless it refused to start, and then why.
   */
  private static List<String> untilStarted(BufferedReader lines) {
    List<String> said = new ArrayList<>();
    try {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        said.add(line);
        if (line.startsWith(STARTED)) {
          break;
        }
      }
    } catch (IOException e) {
      // the process is gone: what it said is all there is
    }
    return said;
  }

  /**
   * This JVM with its options and class path, running this class's program; inside a new session
   * ({@code setsid}) where there is one, so that the terminal's hang-up and Ctrl-C never reach it,
   * and with SIGHUP's default action where this process ignores it, so that reload reaches it.
   */
  private static List<String> javaCommand() {
    List<String> command = new ArrayList<>(Hangup.restoringPrefix()); // else reload cannot work
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      command.add("/usr/bin/setsid");
    }
    command.add(
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(jvmOptions(ManagementFactory.getRuntimeMXBean().getInputArguments()));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Sudp.class.getName()));
    return command;
  }

  /**
   * This JVM's options for the background process, with {@code -XX:+ExitOnOutOfMemoryError} added
   * unless they already say what an OutOfMemoryError does: a process that ran out of memory may go
   * on running without its threads, and exiting lets whoever watches it start it again.
   */
  static List<String> jvmOptions(List<String> inputArguments) {
    List<String> options = new ArrayList<>(inputArguments);
    boolean chosen =
        inputArguments.stream()
            .anyMatch(
                option ->
                    option.startsWith("-XX:")
                        && (option.contains("ExitOnOutOfMemoryError")
                            || option.contains("CrashOnOutOfMemoryError")));
    if (!chosen) {
      options.add(OutOfMemoryExit.JVM_OPTION);
    }
    return options;
  }

  /** Sends SIGTERM and waits for the instance to drain and exit. */
  static int stop(SudpConfig config, PrintStream out, PrintStream err) {
    Optional<ProcessHandle> running = PidFile.liveProcess(config.daemon().pidFile());
    if (running.isEmpty()) {
      if (refusedUnnamed(config, "not stopped", err)) {
        return Sudp.FAILED;
      }
      out.println("sudp: instance '" + config.name() + "' is not running");
      return Sudp.OK;
    }
    ProcessHandle process = running.get();
    process.destroy();
    try {
      process.onExit().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      err.println(
          "sudp: instance '"
              + config.name()
              + "' (pid "
              + process.pid()
              + ") still runs "
              + STOP_TIMEOUT_SECONDS
              + " s after SIGTERM; kill -9 "
              + process.pid()
              + " ends it at once");
      return Sudp.FAILED;
    } catch (Exception e) {
      err.println("sudp: waiting for pid " + process.pid() + ": " + e);
      return Sudp.FAILED;
    }
    out.println("sudp: instance '" + config.name() + "' stopped (pid " + process.pid() + ")");
    return Sudp.OK;
  }

  /** Asks the running instance to re-read its configuration (SIGHUP). */
  static int reload(SudpConfig config, PrintStream out, PrintStream err) {
    Optional<ProcessHandle> running = PidFile.liveProcess(config.daemon().pidFile());
    if (running.isEmpty()) {
      if (refusedUnnamed(config, "not reloaded", err)) {
        return Sudp.FAILED;
      }
      err.println("sudp: instance '" + config.name() + "' is not running");
      return Sudp.NOT_RUNNING;
    }
    long pid = running.get().pid();
    if (Hangup.ignoredBy(pid)) {
      err.println(
          "sudp: instance '"
              + config.name()
              + "' (pid "
              + pid
              + ") ignores SIGHUP (it"
              + " was started under nohup, or by a process that ignores it): not reloaded; restart it"
              + " to apply the file, or start it with 'sudp start', which needs no nohup");
      return Sudp.FAILED;
    }
    try {
      Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(pid)).inheritIO().start();
      if (kill.waitFor() != 0) {
        return Sudp.FAILED;
      }
    } catch (IOException e) {
      err.println("sudp: cannot run kill (" + e.getMessage() + "): send SIGHUP to pid " + pid);
      return Sudp.FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Sudp.FAILED;
    }
    out.println(
        "sudp: instance '"
            + config.name()
            + "' (pid "
            + pid
            + ") reloads its configuration; its log says what changed");
    return Sudp.OK;
  }

  /** What the PID file says for {@code status}: a line, and the exit status it stands for. */
  record Presence(String line, int status) {}

  /**
   * Whether the instance runs, for {@code status}: OK with its PID, NOT_RUNNING without a live PID
   * file, FAILED when a live process holds the file without naming itself.
   */
  static Presence describe(SudpConfig config) {
    Path pidFile = config.daemon().pidFile();
    Optional<ProcessHandle> running = PidFile.liveProcess(pidFile);
    if (running.isPresent()) {
      return new Presence(
          "instance '"
              + config.name()
              + "': running, pid "
              + running.get().pid()
              + " ("
              + pidFile
              + ")",
          Sudp.OK);
    }
    return unnamed(config)
        .map(words -> new Presence(words, Sudp.FAILED))
        .orElseGet(
            () ->
                new Presence(
                    "instance '" + config.name() + "': no live PID file (" + pidFile + ")",
                    Sudp.NOT_RUNNING));
  }

  /**
   * Says on {@code err} that the instance runs without its PID file naming it, if so: a command
   * that needs its PID then does nothing ({@code outcome}) rather than claim it does not run.
   */
  private static boolean refusedUnnamed(SudpConfig config, String outcome, PrintStream err) {
    Optional<String> words = unnamed(config);
    words.ifPresent(each -> err.println("sudp: " + each + "; " + outcome));
    return words.isPresent();
  }

  private static Optional<String> unnamed(SudpConfig config) {
    Path pidFile = config.daemon().pidFile();
    return PidFile.unnamedHolder(pidFile)
        .map(
            content ->
                "instance '"
                    + config.name()
                    + "': running, but its PID file "
                    + pidFile
                    + " "
                    + content
                    + " while a live process holds it (`fuser -v "
                    + pidFile
                    + "` names the process)");
  }

  private static List<String> tail(Path file, int count) {
    try {
      List<String> lines = Files.readAllLines(file);
      return lines.subList(Math.max(0, lines.size() - count), lines.size());
    } catch (IOException e) {
      return List.of("(" + e.getMessage() + ")");
    }
  }

  /**
   * How long {@code sudp start} waits: a warm-up adds its duration, rounded up, and the time its
   * own tunnel may take to start carrying datagrams before it is given up.
   */
  private static long startTimeoutSeconds(SudpConfig config) {
    Duration warmUp = config.warmUp();
    if (warmUp.isZero()) {
      return START_TIMEOUT_SECONDS;
    }
    return START_TIMEOUT_SECONDS
        + (warmUp.toMillis() + 999) / 1000
        + DataPathWarmUp.START_WAIT.toSeconds();
  }
}
