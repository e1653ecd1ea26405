package io.sudp.cli;

import io.sudp.config.HostPort;
import io.sudp.config.ServerAuth;
import io.sudp.config.SudpConfig;
import io.sudp.security.Credentials;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code sudp health} and {@code sudp status}: ask the management port of the process running a
 * configuration whether it is ready, or what it is doing.
 */
final class ManagementClient {
  private ManagementClient() {}

  /** Exit 0 if the process is ready, 1 if not or not reachable. */
  static int health(Path file, SudpConfig config, PrintStream out, PrintStream err) {
    Answer answer = request(file, config, "GET", "/health/ready", err);
    out.print(answer.body());
    return answer.code() == Sudp.OK ? Sudp.OK : Sudp.FAILED;
  }

  /** Switches debug logging of the running process on or off. */
  static int debug(Path file, SudpConfig config, boolean on, PrintStream out, PrintStream err) {
    Answer answer = request(file, config, "POST", "/debug/" + (on ? "on" : "off"), err);
    out.print(answer.body());
    return answer.code();
  }

  /**
   * Whether the instance runs (its PID file), then a table of its parts from the management port,
   * or its JSON with {@code json}; exit 3 when it does not run, 1 when its PID file does not name
   * the process that holds it.
   */
  static int status(Path file, SudpConfig config, boolean json, PrintStream out, PrintStream err) {
    Daemon.Presence presence = Daemon.describe(config);
    if (!json) {
      out.println(presence.line());
    } else if (presence.status() == Sudp.FAILED) {
      err.println("sudp: " + presence.line());
    }
    if (config.management() == null) {
      return presence.status();
    }
    Answer answer = request(file, config, "GET", "/status.json", err);
    if (answer.code() == Sudp.NOT_RUNNING) {
      return presence.status() == Sudp.OK ? Sudp.FAILED : presence.status();
    }
    if (json) {
      out.print(answer.body());
    } else if (answer.code() == Sudp.OK) {
      StatusTable.lines(new JsonObject(answer.body())).forEach(out::println);
    }
    return presence.status() == Sudp.FAILED ? Sudp.FAILED : answer.code();
  }

  /** What the management port said: an exit code for it, and the body. */
  private record Answer(int code, String body) {}

  /** Exit 0 for a 200 answer, 1 for another, 3 when nothing answers (the process is not there). */
  private static Answer request(
      Path file, SudpConfig config, String method, String path, PrintStream err) {
    if (config.management() == null || config.management().listen().port() == 0) {
      err.println(file + ": management.listen with a fixed port is required for this command");
      return new Answer(Sudp.USAGE, "");
    }
    HostPort listen = config.management().listen();
    String host =
        listen.host().equals("0.0.0.0")
            ? "127.0.0.1"
            : listen.host().equals("::") ? "::1" : listen.host();
    URI uri = URI.create("http://" + new HostPort(host, listen.port()) + path);
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(uri)
              .timeout(Duration.ofSeconds(5))
              .method(method, HttpRequest.BodyPublishers.noBody());
      ServerAuth auth = config.management().auth();
      String token =
          auth == null || auth.tokensFile() == null
              ? null
              : Credentials.firstToken(auth.tokensFile());
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      HttpResponse<String> response =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(3))
              .build()
              .send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode() == 200 ? Sudp.OK : Sudp.FAILED, response.body());
    } catch (Exception e) {
      err.println("sudp: " + uri + ": not reachable (" + e.getClass().getSimpleName() + ")");
      return new Answer(Sudp.NOT_RUNNING, "");
    }
  }
}
