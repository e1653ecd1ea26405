package io.sudp.cli;

import io.sudp.config.ConfigException;
import io.sudp.config.SudpConfig;
import io.sudp.runtime.Role;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** The {@code sudp} command line: run a server, a client, or both, from a YAML file. */
public final class Sudp {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;
  static final int NOT_RUNNING = 3;

  private static final String HELP =
      """
      Usage: java -jar sudp.jar COMMAND -c FILE [OPTIONS]

      Run in the foreground (systemd, containers, a terminal; on a terminal a live
      view shows the status and the log, q quits, ? lists the keys):
        server     run the server section of FILE (WebSocket server and NAT)
        client     run the client section of FILE (local UDP tunnels)
        run        run every section of FILE in one process (server, client, echo);
                   with an echo service and a client, sends one datagram through the
                   tunnel at start-up and reports whether it came back

      Run in the background, one instance per FILE (its name: the 'name' key, else
      the file's name):
        start [server|client|run]   start the instance (default: run); returns once
                                    it runs, or shows why it did not start
        stop       stop it: SIGTERM, queued datagrams drain, connections close
        restart [server|client|run] stop, then start
        reload     re-read FILE (SIGHUP): tunnels and logging change at once;
                   the log names settings that need a restart

      Look and adjust:
        validate   check FILE and report every problem, then exit
        status     what the instance is doing: a table per part, or --json
        health     exit 0 if the instance is ready to carry traffic, else 1
        debug on|off   switch debug logging (flow events, datagram dumps) while it runs

      Options:
        -c, --config FILE   the YAML configuration (see docs/configuration.md)
        --debug             start with debug logging
        --no-interactive    on a terminal too, plain log lines instead of the live view
        --interactive       the live view; an error without a terminal
        --json              with status: print JSON for scripts
        -h, --help          show this help

      Exit status: 0 done (also after SIGTERM or SIGINT: a clean stop); 1 failed (the
      PID file cannot be written, ...), or already running, or not ready (health), or
      the PID file is held by a live process it does not name (status, stop, reload,
      start); 2 bad command line or configuration; 3 not running (status, reload,
      debug), or out of memory (server, client, run; start java with
      -XX:+ExitOnOutOfMemoryError, see docs/operations.md).
      """;

  /**
   * The commands that only reach a running instance: they work from its name, PID file and
   * management address when the rest of its file has been broken by an edit since it started.
   */
  private static final Set<String> REACH_RUNNING = Set.of("stop", "status", "health", "debug");

  /** Every command; each has its line in {@link #HELP}. */
  static final Set<String> COMMANDS =
      Set.of(
          "server",
          "client",
          "run",
          "start",
          "stop",
          "restart",
          "reload",
          "validate",
          "status",
          "health",
          "debug");

  private static final String CACHED_BUFFERS = "io.netty.allocator.maxCachedBufferCapacity";
  private static final String TLS_RENEGOTIATION = "jdk.tls.rejectClientInitiatedRenegotiation";

  private Sudp() {}

  public static void main(String[] args) {
    // A listening socket reads each datagram into a 64 KiB pooled buffer (any datagram fits);
    // Netty's thread caches keep buffers up to 32 KiB, so each read went to the shared arena.
    if (System.getProperty(CACHED_BUFFERS) == null) {
      System.setProperty(CACHED_BUFFERS, "65536");
    }
    // A TLS 1.2 client may ask for a new handshake at any time: hundreds a second cost the
    // server a core, past the handshake limits. Nothing SUDP speaks needs one.
    if (System.getProperty(TLS_RENEGOTIATION) == null) {
      System.setProperty(TLS_RENEGOTIATION, "true");
    }
    ExitStatus exit = new ExitStatus();
    int code = run(args, System.out, System.err);
    exit.finished(code);
    System.exit(code);
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, System.getenv(), out, err);
  }

  /** As {@link #run(String[], PrintStream, PrintStream)}, in {@code environment}. */
  static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
    Arguments arguments;
    try {
      arguments = Arguments.parse(args);
    } catch (Arguments.UsageException e) {
      err.print("sudp: " + e.getMessage() + "\n\n" + HELP);
      return USAGE;
    }
    if (arguments.help()) {
      out.print(HELP);
      return OK;
    }
    String command = arguments.command();
    Path file = arguments.file();
    if (!isCommand(command) || !operandFits(arguments)) {
      err.print(
          isCommand(command)
              ? "sudp: '" + command + "' does not take '" + arguments.operand() + "'\n\n"
              : "sudp: unknown command '" + command + "'\n\n");
      err.print(HELP);
      return USAGE;
    }
    SudpConfig config;
    try {
      config =
          SudpConfig.load(
              file, environment, warnsOfVariables(arguments) ? err::println : warning -> {});
    } catch (ConfigException e) {
      e.problems().forEach(err::println);
      if (!REACH_RUNNING.contains(command)) {
        return USAGE;
      }
      try {
        config = SudpConfig.locate(file, environment);
      } catch (ConfigException unreachable) {
        return USAGE;
      }
      err.println(
          file
              + ": not valid (above); a running instance keeps the configuration it last"
              + " accepted");
    }
    return switch (command) {
      case "validate" -> {
        String expiring =
            config.server() == null || config.server().tls() == null
                ? null
                : config.server().tls().expiryWarning(Instant.now());
        if (expiring != null) {
          err.println(file + ": warning: " + expiring);
        }
        out.println(file + ": valid");
        yield OK;
      }
      case "health" -> ManagementClient.health(file, config, out, err);
      case "status" -> ManagementClient.status(file, config, arguments.json(), out, err);
      case "debug" ->
          ManagementClient.debug(file, config, arguments.operand().equals("on"), out, err);
      case "stop" -> Daemon.stop(config, out, err);
      case "reload" -> Daemon.reload(config, out, err);
      case "start", "restart" -> {
        String part = arguments.operand() == null ? "run" : arguments.operand();
        String missing = missingSection(part, config);
        if (missing != null) {
          err.println(file + ": " + missing + ": section required by '" + part + "'");
          yield USAGE;
        }
        int stopped = command.equals("restart") ? Daemon.stop(config, out, err) : OK;
        yield stopped != OK
            ? stopped
            : Daemon.start(file, config, part, arguments.debug(), out, err);
      }
      default -> {
        String missing = missingSection(command, config);
        if (missing != null) {
          err.println(
              file + ": " + missing + ": section required by the '" + command + "' command");
          yield USAGE;
        }
        yield Foreground.run(file, config, roles(command), arguments, err);
      }
    };
  }

  /**
   * Whether to warn of {@code SUDP_} variables that override nothing: when the file is checked or
   * started, once (not again in the background process {@code start} launches).
   */
  private static boolean warnsOfVariables(Arguments arguments) {
    return !arguments.daemonized()
        && Set.of("validate", "server", "client", "run", "start", "restart")
            .contains(arguments.command());
  }

  private static boolean isCommand(String command) {
    return COMMANDS.contains(command);
  }

  /** Only start and restart take a part, and debug takes on or off (and needs it). */
  private static boolean operandFits(Arguments arguments) {
    String operand = arguments.operand();
    return switch (arguments.command()) {
      case "start", "restart" ->
          operand == null || Set.of("server", "client", "run").contains(operand);
      case "debug" -> "on".equals(operand) || "off".equals(operand);
      default -> operand == null;
    };
  }

  private static Set<Role> roles(String part) {
    return switch (part) {
      case "server" -> EnumSet.of(Role.SERVER);
      case "client" -> EnumSet.of(Role.CLIENT);
      default -> EnumSet.allOf(Role.class);
    };
  }

  private static String missingSection(String part, SudpConfig config) {
    if (part.equals("server") && config.server() == null) {
      return "server";
    }
    if (part.equals("client") && config.client() == null) {
      return "client";
    }
    return null;
  }
}
