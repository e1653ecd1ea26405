package io.sudp.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real program serving a loopback TCP port (nginx, tinyproxy) in the foreground, started,
 * restarted and stopped by a test: it counts as started once the port takes connections.
 */
public final class ListeningProgram implements AutoCloseable {
  private final Path dir;
  private final String name;
  private final int port;
  private final List<String> command;
  private RealProcess process;

  private ListeningProgram(Path dir, String name, int port, List<String> command) {
    this.dir = dir;
    this.name = name;
    this.port = port;
    this.command = List.copyOf(command);
  }

  /**
   * Runs {@code command} (its output in {@code dir}) and waits until {@code port} takes
   * connections; fails with its output if it does not within 30 s.
   */
  public static ListeningProgram start(Path dir, String name, int port, List<String> command)
      throws IOException {
    ListeningProgram program = new ListeningProgram(dir, name, port, command);
    program.start();
    return program;
  }

  private void start() throws IOException {
    process = RealProcess.start(dir, name + "-" + System.nanoTime(), command);
    process.awaitListening(port, Duration.ofSeconds(30));
  }

  public int port() {
    return port;
  }

  /** Stops the program (SIGTERM: it closes every connection) and starts it again on its port. */
  public void restart() throws IOException, InterruptedException {
    process.stop();
    start();
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null) {
      process.close();
    }
  }
}
