package io.sudp.cli;

import io.sudp.config.HostPort;
import io.sudp.config.SudpConfig;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** {@code sudp health -c FILE}: asks the running process's management port whether it is ready. */
final class HealthCheck {
  private HealthCheck() {}

  static int run(Path file, SudpConfig config, PrintStream out, PrintStream err) {
    if (config.management() == null || config.management().listen().port() == 0) {
      err.println(file + ": management.listen with a fixed port is required for health checks");
      return Sudp.USAGE;
    }
    HostPort listen = config.management().listen();
    String host = listen.host().equals("0.0.0.0") ? "127.0.0.1"
        : listen.host().equals("::") ? "::1" : listen.host();
    URI uri = URI.create("http://" + new HostPort(host, listen.port()) + "/health/ready");
    try {
      HttpResponse<String> response = HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(3)).build()
          .send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
      out.print(response.body());
      return response.statusCode() == 200 ? Sudp.OK : Sudp.FAILED;
    } catch (Exception e) {
      err.println("sudp: " + uri + ": " + e);
      return Sudp.FAILED;
    }
  }
}
