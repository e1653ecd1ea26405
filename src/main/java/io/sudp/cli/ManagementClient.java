package io.sudp.cli;

import io.sudp.config.HostPort;
import io.sudp.config.SudpConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

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
   * or its JSON with {@code json}; exit 3 when it does not run.
   */
  static int status(Path file, SudpConfig config, boolean json, PrintStream out, PrintStream err) {
    Optional<String> running = Daemon.describe(config);
    if (!json) {
      out.println(running.orElse("instance '" + config.name() + "': no live PID file ("
          + config.daemon().pidFile() + ")"));
    }
    if (config.management() == null) {
      return running.isPresent() ? Sudp.OK : Sudp.NOT_RUNNING;
    }
    Answer answer = request(file, config, "GET", "/status.json", err);
    if (answer.code() == Sudp.NOT_RUNNING) {
      return running.isPresent() ? Sudp.FAILED : Sudp.NOT_RUNNING;
    }
    if (json) {
      out.print(answer.body());
    } else if (answer.code() == Sudp.OK) {
      printTable(new JsonObject(answer.body()), out);
    }
    return answer.code();
  }

  /** What the management port said: an exit code for it, and the body. */
  private record Answer(int code, String body) {}

  private static final String PART_ROW = "%-6s %-12s %6s %5s %8s %9s %7s %7s %5s %4s%n";
  private static final String USER_ROW = "  %-32s %8s %9s %7s %7s %5s%n";
  private static final String TUNNEL_ROW = "  %-17s %-8s %5s %8s %9s %7s %7s %5s  %s%n";

  /** The parts (server, client), then the client's tunnels: state, flows, rates, bytes, drops. */
  private static void printTable(JsonObject status, PrintStream out) {
    out.printf(Locale.ROOT, PART_ROW, "PART", "STATE", "UPTIME", "FLOWS", "UP dg/s", "DOWN dg/s",
        "UP", "DOWN", "DROPS", "LOST");
    long uptime = status.getLong("uptimeSeconds");
    JsonObject server = status.getJsonObject("server");
    if (server != null) {
      partRow(out, "server", server.getBoolean("listening") ? "listening" : "down", uptime,
          server);
      JsonArray users = server.getJsonArray("users");
      if (!users.isEmpty()) {
        out.printf(Locale.ROOT, USER_ROW, "USER", "UP dg/s", "DOWN dg/s", "UP", "DOWN", "DROPS");
      }
      users.forEach(each -> {
        JsonObject user = (JsonObject) each;
        JsonObject traffic = user.getJsonObject("traffic");
        JsonObject rates = traffic.getJsonObject("rates");
        out.printf(Locale.ROOT, USER_ROW, user.getString("user"),
            perSecond(rates.getDouble("upDatagramsPerSecond")),
            perSecond(rates.getDouble("downDatagramsPerSecond")),
            bytes(traffic.getJsonObject("up").getLong("bytes")),
            bytes(traffic.getJsonObject("down").getLong("bytes")), traffic.getLong("drops"));
      });
    }
    JsonObject client = status.getJsonObject("client");
    if (client == null) {
      return;
    }
    partRow(out, "client", client.getBoolean("connected") ? "connected" : "disconnected", uptime,
        client);
    if (client.getString("lastError") != null) {
      out.println("  last error: " + client.getString("lastError"));
    }
    out.printf(Locale.ROOT, TUNNEL_ROW, "TUNNEL", "STATE", "FLOWS", "UP dg/s", "DOWN dg/s", "UP",
        "DOWN", "DROPS", "LISTEN -> DESTINATION");
    client.getJsonArray("tunnels").forEach(each -> {
      JsonObject tunnel = (JsonObject) each;
      JsonObject traffic = tunnel.getJsonObject("traffic");
      JsonObject rates = traffic.getJsonObject("rates");
      out.printf(Locale.ROOT, TUNNEL_ROW, tunnel.getString("name"), tunnel.getString("state"),
          tunnel.getInteger("flows"), perSecond(rates.getDouble("upDatagramsPerSecond")),
          perSecond(rates.getDouble("downDatagramsPerSecond")),
          bytes(traffic.getJsonObject("up").getLong("bytes")),
          bytes(traffic.getJsonObject("down").getLong("bytes")), traffic.getLong("drops"),
          tunnel.getString("listen") + " -> " + tunnel.getString("destination"));
    });
  }

  private static void partRow(PrintStream out, String part, String state, long uptime,
      JsonObject status) {
    JsonObject counts = status.getJsonObject("counts");
    JsonObject rates = status.getJsonObject("rates");
    long drops = counts.getJsonObject("drops").stream()
        .mapToLong(entry -> ((Number) entry.getValue()).longValue()).sum();
    out.printf(Locale.ROOT, PART_ROW, part, state, duration(uptime), status.getInteger("flows"),
        perSecond(rates.getDouble("upDatagramsPerSecond")),
        perSecond(rates.getDouble("downDatagramsPerSecond")),
        bytes(counts.getJsonObject("upstream").getLong("bytes")),
        bytes(counts.getJsonObject("downstream").getLong("bytes")), drops,
        counts.getLong("lost"));
  }

  static String perSecond(double rate) {
    return rate >= 10_000 ? String.format(Locale.ROOT, "%.1fk", rate / 1000)
        : String.format(Locale.ROOT, "%.0f", rate);
  }

  /** Bytes in the largest unit that keeps a number below 1000: 512B, 18.2KB, 3.1GB. */
  static String bytes(long count) {
    String[] units = {"B", "KB", "MB", "GB", "TB"};
    double value = count;
    int unit = 0;
    while (value >= 1000 && unit < units.length - 1) {
      value /= 1000;
      unit++;
    }
    return unit == 0 ? count + "B" : String.format(Locale.ROOT, "%.1f%s", value, units[unit]);
  }

  static String duration(long seconds) {
    return seconds < 120 ? seconds + "s" : seconds < 7200 ? seconds / 60 + "m"
        : seconds < 172_800 ? seconds / 3600 + "h" : seconds / 86_400 + "d";
  }

  /** Exit 0 for a 200 answer, 1 for another, 3 when nothing answers (the process is not there). */
  private static Answer request(Path file, SudpConfig config, String method, String path,
      PrintStream err) {
    if (config.management() == null || config.management().listen().port() == 0) {
      err.println(file + ": management.listen with a fixed port is required for this command");
      return new Answer(Sudp.USAGE, "");
    }
    HostPort listen = config.management().listen();
    String host = listen.host().equals("0.0.0.0") ? "127.0.0.1"
        : listen.host().equals("::") ? "::1" : listen.host();
    URI uri = URI.create("http://" + new HostPort(host, listen.port()) + path);
    try {
      HttpResponse<String> response = HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(3)).build()
          .send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                  .method(method, HttpRequest.BodyPublishers.noBody()).build(),
              HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode() == 200 ? Sudp.OK : Sudp.FAILED, response.body());
    } catch (Exception e) {
      err.println("sudp: " + uri + ": not reachable (" + e.getClass().getSimpleName() + ")");
      return new Answer(Sudp.NOT_RUNNING, "");
    }
  }
}
