package io.sudp.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real tinyproxy on loopback, started and stopped by a test: an HTTP proxy that lets {@code
 * CONNECT} through to one port only, with or without Basic authentication, and logs every
 * connection and request to a file of its own.
 */
public final class Tinyproxy implements AutoCloseable {
  private final Path dir;
  private final ListeningProgram program;

  private Tinyproxy(Path dir, ListeningProgram program) {
    this.dir = dir;
    this.program = program;
  }

  /**
   * A tinyproxy that lets clients on loopback {@code CONNECT} to {@code connectPort} and to no
   * other port; with {@code user} and {@code password} (else null) only with those credentials.
   */
  public static Tinyproxy start(Path dir, int connectPort, String user, String password)
      throws IOException {
    Files.createDirectories(dir);
    int port = FreePorts.tcp();
    Path conf =
        Files.writeString(
            dir.resolve("tinyproxy.conf"),
            """
            Port %d
            Listen 127.0.0.1
            Timeout 600
            MaxClients 64
            LogFile "%s"
            LogLevel Connect
            PidFile "%s"
            Allow 127.0.0.1
            ConnectPort %d
            %s
            """
                .formatted(
                    port,
                    dir.resolve("tinyproxy.log"),
                    dir.resolve("tinyproxy.pid"),
                    connectPort,
                    user == null ? "" : "BasicAuth " + user + " " + password));
    String tinyproxy = RealProcess.program("tinyproxy", "tinyproxy");
    return new Tinyproxy(
        dir,
        ListeningProgram.start(
            dir, "tinyproxy", port, List.of(tinyproxy, "-d", "-c", conf.toString())));
  }

  public int port() {
    return program.port();
  }

  /** What tinyproxy has logged so far: one line per connection and per request. */
  public String log() throws IOException {
    Path log = dir.resolve("tinyproxy.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /** How many {@code CONNECT}s to {@code hostPort} it has been asked for (allowed or not). */
  public long connectRequests(String hostPort) throws IOException {
    String request = "CONNECT " + hostPort + " HTTP/1.1";
    return log().lines().filter(line -> line.endsWith(request)).count();
  }

  /** Stops tinyproxy (SIGTERM: every tunnel through it ends) and starts it on the same port. */
  public void restart() throws IOException, InterruptedException {
    program.restart();
  }

  @Override
  public void close() throws InterruptedException {
    program.close();
  }
}
