package io.sudp.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The status of an instance as table lines: a row per part (server, client) with its users or
 * tunnels under it. {@code sudp status} prints it; the live view redraws it every second.
 */
final class StatusTable {
  private static final String PART_ROW = "%-6s %-12s %6s %5s %8s %9s %7s %7s %5s %4s";
  private static final String USER_ROW = "  %-32s %8s %9s %7s %7s %5s";
  private static final String TUNNEL_ROW = "  %-17s %-8s %5s %8s %9s %7s %7s %5s  %s";

  private StatusTable() {}

  /** The lines for a {@code /status.json} document. */
  static List<String> lines(JsonObject status) {
    List<String> lines = new ArrayList<>();
    lines.add(
        format(
            PART_ROW,
            "PART",
            "STATE",
            "UPTIME",
            "FLOWS",
            "UP dg/s",
            "DOWN dg/s",
            "UP",
            "DOWN",
            "DROPS",
            "LOST"));
    long uptime = status.getLong("uptimeSeconds");
    JsonObject server = status.getJsonObject("server");
    if (server != null) {
      lines.add(
          partRow("server", server.getBoolean("listening") ? "listening" : "down", uptime, server));
      JsonArray users = server.getJsonArray("users");
      if (!users.isEmpty()) {
        lines.add(format(USER_ROW, "USER", "UP dg/s", "DOWN dg/s", "UP", "DOWN", "DROPS"));
      }
      for (Object each : users) {
        JsonObject user = (JsonObject) each;
        JsonObject traffic = user.getJsonObject("traffic");
        lines.add(
            format(
                USER_ROW,
                user.getString("user"),
                upRate(traffic),
                downRate(traffic),
                bytes(traffic.getJsonObject("up").getLong("bytes")),
                bytes(traffic.getJsonObject("down").getLong("bytes")),
                traffic.getLong("drops")));
      }
    }
    JsonObject client = status.getJsonObject("client");
    if (client != null) {
      lines.add(
          partRow(
              "client",
              client.getBoolean("connected") ? "connected" : "disconnected",
              uptime,
              client));
      if (client.getString("lastError") != null) {
        lines.add("  last error: " + client.getString("lastError"));
      }
      lines.add(
          format(
              TUNNEL_ROW,
              "TUNNEL",
              "STATE",
              "FLOWS",
              "UP dg/s",
              "DOWN dg/s",
              "UP",
              "DOWN",
              "DROPS",
              "LISTEN -> DESTINATION"));
      for (Object each : client.getJsonArray("tunnels")) {
        lines.add(tunnelRow((JsonObject) each));
      }
    }
    return lines;
  }

  private static String tunnelRow(JsonObject tunnel) {
    JsonObject traffic = tunnel.getJsonObject("traffic");
    return format(
        TUNNEL_ROW,
        tunnel.getString("name"),
        tunnel.getString("state"),
        tunnel.getInteger("flows"),
        upRate(traffic),
        downRate(traffic),
        bytes(traffic.getJsonObject("up").getLong("bytes")),
        bytes(traffic.getJsonObject("down").getLong("bytes")),
        traffic.getLong("drops"),
        tunnel.getString("listen") + " -> " + tunnel.getString("destination"));
  }

  private static String partRow(String part, String state, long uptime, JsonObject status) {
    JsonObject counts = status.getJsonObject("counts");
    long drops =
        counts.getJsonObject("drops").stream()
            .mapToLong(entry -> ((Number) entry.getValue()).longValue())
            .sum();
    return format(
        PART_ROW,
        part,
        state,
        duration(uptime),
        status.getInteger("flows"),
        upRate(status),
        downRate(status),
        bytes(counts.getJsonObject("upstream").getLong("bytes")),
        bytes(counts.getJsonObject("downstream").getLong("bytes")),
        drops,
        counts.getLong("lost"));
  }

  private static String upRate(JsonObject withRates) {
    return perSecond(withRates.getJsonObject("rates").getDouble("upDatagramsPerSecond"));
  }

  private static String downRate(JsonObject withRates) {
    return perSecond(withRates.getJsonObject("rates").getDouble("downDatagramsPerSecond"));
  }

  private static String format(String row, Object... values) {
    return String.format(Locale.ROOT, row, values);
  }

  static String perSecond(double rate) {
    return rate >= 10_000 ? format("%.1fk", rate / 1000) : format("%.0f", rate);
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
    return unit == 0 ? count + "B" : format("%.1f%s", value, units[unit]);
  }

  static String duration(long seconds) {
    return seconds < 120
        ? seconds + "s"
        : seconds < 7200
            ? seconds / 60 + "m"
            : seconds < 172_800 ? seconds / 3600 + "h" : seconds / 86_400 + "d";
  }
}
