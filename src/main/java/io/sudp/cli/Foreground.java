package io.sudp.cli;

import io.sudp.config.LoggingConfig;
import io.sudp.config.SudpConfig;
import io.sudp.ops.Failures;
import io.sudp.process.LogPane;
import io.sudp.process.LogSetup;
import io.sudp.process.OutOfMemoryExit;
import io.sudp.process.PidFile;
import io.sudp.runtime.DataPathWarmUp;
import io.sudp.runtime.Role;
import io.sudp.runtime.TunnelRuntime;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Runs an instance in this process until SIGTERM or SIGINT: under systemd, in a container, on a
 * terminal, and as the background process of {@code sudp start}. It holds the instance's PID file
 * while it runs, so a second process of the same instance is refused, and does not run without it
 * (nothing could stop it by name); it reloads its configuration on SIGHUP. With a log file, it says
 * where on standard error. An OutOfMemoryError that reaches it ends the process ({@link
 * OutOfMemoryExit}).
 */
final class Foreground {
  private static final Logger LOG = LoggerFactory.getLogger(Foreground.class);
  private static volatile LiveView liveView;
  private static volatile LogPane capturedLog;

  /** The instance SIGHUP acts on; null while it warms up. */
  private static volatile TunnelRuntime hangupTarget;

  private static volatile boolean hangupWhileWarming;

  private Foreground() {}

  static int run(
      Path file, SudpConfig config, Set<Role> roles, Arguments arguments, PrintStream err) {
    LoggingConfig logging = config.logging();
    if (arguments.daemonized() && logging.file() == null) {
      logging = logging.toFile(config.daemon().logFile());
    }
    LogSetup.apply(logging, arguments.debug(), !arguments.daemonized());
    PidFile pidFile;
    try {
      pidFile = PidFile.acquire(config.daemon().pidFile());
    } catch (PidFile.HeldException e) {
      return refuse(arguments, err, "sudp: instance '" + config.name() + "' is " + e.getMessage());
    } catch (IOException e) {
      return refuse(
          arguments,
          err,
          "sudp: instance '" + config.name() + "' did not start: " + e.getMessage());
    }
    if (logging.file() != null) {
      err.println("sudp: logging to " + logging.file().toAbsolutePath());
    }
    pidFile
        .stalePid()
        .filter(pid -> pid != ProcessHandle.current().pid())
        .ifPresent(
            pid ->
                LOG.info(
                    "replaced the stale PID file {} (pid {} no longer runs)", pidFile.path(), pid));
    // Here, not before: a second process of a running instance, refused above, stays quiet.
    OutOfMemoryExit outOfMemory = OutOfMemoryExit.install();
    try {
      reloadOnHangup(file);
      if ((roles.contains(Role.SERVER) || roles.contains(Role.CLIENT))
          && !DataPathWarmUp.runAsConfigured(config.warmUp())) {
        return Sudp.OK; // stopped while warming up: nothing ran, nothing to drain
      }
      TunnelRuntime runtime = new TunnelRuntime(config, roles);
      outOfMemory.watch(runtime.vertx());
      if (roles.contains(Role.ECHO) && config.echo() != null && config.client() != null) {
        runtime.onStarted(() -> SelfTest.runInBackground(config, runtime.client()::listenAddress));
      }
      if (arguments.daemonized()) {
        runtime.onStarted(Foreground::tellLauncher);
      }
      hangupTarget = runtime;
      if (hangupWhileWarming) {
        runtime.onStarted(() -> hangup(file, runtime));
      }
      if (wantsLiveView(arguments, err)) {
        LogPane pane = LiveView.captureLog();
        capturedLog = pane;
        runtime.onStarted(() -> openLiveView(runtime, config.name(), pane));
      } else if (Boolean.TRUE.equals(arguments.interactive())) {
        return Sudp.USAGE;
      }
      LOG.info("instance '{}' (pid {}) starting", config.name(), ProcessHandle.current().pid());
      return runtime.run();
    } catch (Exception e) {
      err.println("sudp: failed: " + Failures.summary(e));
      return Sudp.FAILED;
    } finally {
      closeLiveView();
      try {
        pidFile.close();
      } catch (IOException e) {
        LOG.warn("cannot remove the PID file {}: {}", pidFile.path(), e.toString());
      }
    }
  }

  /**
   * A start refused before anything runs: said on standard error and, for {@code sudp start}, on
   * the pipe its launcher reads, as the console file may be on the very disk that refused it.
   */
  private static int refuse(Arguments arguments, PrintStream err, String why) {
    err.println(why);
    if (arguments.daemonized()) {
      System.out.println(why);
      System.out.flush();
    }
    return Sudp.FAILED;
  }

  /**
   * The live view shows on a terminal unless {@code --no-interactive}; {@code --interactive}
   * without a terminal is a usage error, reported here.
   */
  private static boolean wantsLiveView(Arguments arguments, PrintStream err) {
    if (arguments.daemonized() || Boolean.FALSE.equals(arguments.interactive())) {
      return false;
    }
    if (LiveView.onTerminal()) {
      return true;
    }
    if (Boolean.TRUE.equals(arguments.interactive())) {
      err.println("sudp: --interactive needs a terminal (standard input and output are not one)");
    }
    return false;
  }

  private static void openLiveView(TunnelRuntime runtime, String name, LogPane pane) {
    try {
      liveView = LiveView.open(runtime, name, pane);
    } catch (IOException | RuntimeException e) {
      capturedLog = null;
      LiveView.restore(pane);
      LOG.warn("no live view ({}): plain log lines instead", e.toString());
    }
  }

  /** Gives the terminal back, or the console its log lines if the view never opened. */
  private static void closeLiveView() {
    LiveView view = liveView;
    LogPane pane = capturedLog;
    liveView = null;
    capturedLog = null;
    if (view != null) {
      view.close();
    } else if (pane != null) {
      LiveView.restore(pane);
    }
  }

  /**
   * Tells {@code sudp start}, which reads this process's standard output, that the instance runs;
   * then lets go of the pipe, which closes when the launcher exits.
   */
  private static void tellLauncher() {
    System.out.println(Daemon.STARTED + ProcessHandle.current().pid());
    System.out.flush();
    System.out.close();
    System.setOut(System.err);
  }

  /**
   * SIGHUP re-reads the configuration file and applies what can change while running; with the live
   * view it means what it means to any program on a terminal: the terminal is gone, stop. Installed
   * before the warm-up, which is no time for the default action (the JVM ends): one that comes then
   * is acted on once the instance runs.
   */
  private static void reloadOnHangup(Path file) {
    try {
      SignalHandler before =
          Signal.handle(
              new Signal("HUP"),
              signal -> {
                TunnelRuntime runtime = hangupTarget;
                if (runtime == null) {
                  hangupWhileWarming = true; // the loggers say warnings only meanwhile
                  return;
                }
                hangup(file, runtime);
              });
      if (before == SignalHandler.SIG_IGN) { // the JVM installs no handler for an ignored SIGHUP
        LOG.warn(
            "SIGHUP is ignored by this process (started under nohup, or by a process that"
                + " ignores it): 'sudp reload' cannot reach it; apply changes by restarting it");
      }
    } catch (IllegalArgumentException e) {
      LOG.warn("SIGHUP is not available here ({}): reload by restarting", e.getMessage());
    }
  }

  private static void hangup(Path file, TunnelRuntime runtime) {
    if (capturedLog != null) {
      runtime.requestStop();
      return;
    }
    new Thread(() -> runtime.reload(file), "sudp-reload").start();
  }
}
