package io.sudp.cli;

import java.nio.file.Path;

/**
 * The parsed command line: {@code COMMAND [OPERAND] -c FILE [--json] [--debug]
 * [--[no-]interactive]}. The operand is the part to start ({@code start|restart server|client|run})
 * or the debug switch ({@code on|off}). {@code interactive} is null when neither flag was given:
 * the live view then shows when the output is a terminal.
 */
record Arguments(
    String command,
    String operand,
    Path file,
    boolean json,
    boolean debug,
    boolean daemonized,
    Boolean interactive,
    boolean help) {

  /** Thrown for a command line that cannot be understood; the message says why. */
  static final class UsageException extends Exception {
    UsageException(String message) {
      super(message);
    }
  }

  /** Hidden flag: set by {@code sudp start} on the background process it launches. */
  static final String DAEMONIZED = "--daemonized";

  static Arguments parse(String[] args) throws UsageException {
    String command = null;
    String operand = null;
    Path file = null;
    boolean json = false;
    boolean debug = false;
    boolean daemonized = false;
    Boolean interactive = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "-h", "--help", "help" -> {
          return new Arguments(null, null, null, false, false, false, null, true);
        }
        case "--json" -> json = true;
        case "--debug" -> debug = true;
        case DAEMONIZED -> daemonized = true;
        case "--interactive" -> interactive = true;
        case "--no-interactive" -> interactive = false;
        case "-c", "--config" -> {
          if (i + 1 == args.length) {
            throw new UsageException(args[i] + " needs a file");
          }
          file = Path.of(args[++i]);
        }
        default -> {
          if (args[i].startsWith("-") || operand != null) {
            throw new UsageException("unexpected argument '" + args[i] + "'");
          }
          if (command == null) {
            command = args[i];
          } else {
            operand = args[i];
          }
        }
      }
    }
    if (command == null || file == null) {
      throw new UsageException("a command and -c FILE are required");
    }
    return new Arguments(command, operand, file, json, debug, daemonized, interactive, false);
  }
}
