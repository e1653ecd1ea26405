package io.sudp.cli;

import io.sudp.config.ConfigException;
import io.sudp.config.SudpConfig;
import io.sudp.runtime.Role;
import io.sudp.runtime.TunnelRuntime;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/** The {@code sudp} command line: run a server, a client, or both, from a YAML file. */
public final class Sudp {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;

  private static final String HELP = """
      Usage: java -jar sudp.jar COMMAND -c FILE

      Commands:
        server     run the server section of FILE (WebSocket server and NAT)
        client     run the client section of FILE (local UDP tunnels)
        run        run every section of FILE in one process (server, client, echo);
                   with an echo service and a client, sends one datagram through the
                   tunnel at start-up and reports whether it came back
        validate   check FILE and report every problem, then exit
        health     ask the management port of the process running FILE whether it is
                   ready (exit 0) or not (exit 1); for container health checks
        status     show what the process running FILE is doing: a table per part, or
                   JSON with --json (needs management.listen in FILE)

      Options:
        -c, --config FILE   the YAML configuration (see docs/configuration.md)
          --json          with status: print JSON for scripts
        -h, --help          show this help

      Exit status: 0 done (also after SIGTERM or SIGINT: a clean stop), 1 failed to start or
      run, 2 bad command line or configuration.
      """;

  private Sudp() {}

  public static void main(String[] args) {
    ExitStatus exit = new ExitStatus();
    int code = run(args, System.out, System.err);
    exit.finished(code);
    System.exit(code);
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    String command = null;
    Path file = null;
    boolean json = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "-h", "--help", "help" -> {
          out.print(HELP);
          return OK;
        }
        case "--json" -> json = true;
        case "-c", "--config" -> {
          if (i + 1 == args.length) {
            err.println("sudp: " + args[i] + " needs a file");
            return USAGE;
          }
          file = Path.of(args[++i]);
        }
        default -> {
          if (command != null || args[i].startsWith("-")) {
            err.println("sudp: unexpected argument '" + args[i] + "' (see --help)");
            return USAGE;
          }
          command = args[i];
        }
      }
    }
    Set<Role> roles = switch (command == null ? "" : command) {
      case "server" -> EnumSet.of(Role.SERVER);
      case "client" -> EnumSet.of(Role.CLIENT);
      case "run" -> EnumSet.allOf(Role.class);
      case "validate", "health", "status" -> EnumSet.noneOf(Role.class);
      default -> null;
    };
    if (roles == null || file == null) {
      err.print(command == null || roles != null ? "sudp: a command and -c FILE are required\n\n"
          : "sudp: unknown command '" + command + "'\n\n");
      err.print(HELP);
      return USAGE;
    }
    SudpConfig config;
    try {
      config = SudpConfig.load(file);
    } catch (ConfigException e) {
      e.problems().forEach(err::println);
      return USAGE;
    }
    if (command.equals("validate")) {
      out.println(file + ": valid");
      return OK;
    }
    if (command.equals("health")) {
      return ManagementClient.health(file, config, out, err);
    }
    if (command.equals("status")) {
      return ManagementClient.status(file, config, json, out, err);
    }
    String missing = missingSection(command, config);
    if (missing != null) {
      err.println(file + ": " + missing + ": section required by the '" + command + "' command");
      return USAGE;
    }
    return start(config, roles);
  }

  private static String missingSection(String command, SudpConfig config) {
    if (command.equals("server") && config.server() == null) {
      return "server";
    }
    if (command.equals("client") && config.client() == null) {
      return "client";
    }
    return null;
  }

  private static int start(SudpConfig config, Set<Role> roles) {
    try {
      TunnelRuntime runtime = new TunnelRuntime(config, roles);
      if (roles.contains(Role.ECHO) && config.echo() != null && config.client() != null) {
        runtime.onStarted(
            () -> SelfTest.runInBackground(config, runtime.client()::listenAddress));
      }
      return runtime.run();
    } catch (Exception e) {
      System.err.println("sudp: failed: " + rootMessage(e));
      return FAILED;
    }
  }

  /** The first message that says more than the exception it wraps: what the operator can act on. */
  private static String rootMessage(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null
        && (cause.getMessage() == null || cause.getMessage().equals(cause.getCause().toString()))) {
      cause = cause.getCause();
    }
    return cause.getMessage() != null ? cause.getMessage() : cause.toString();
  }
}
