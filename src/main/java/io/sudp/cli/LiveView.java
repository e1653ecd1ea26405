package io.sudp.cli;

import io.sudp.ops.RateLimitedLog;
import io.sudp.process.LogPane;
import io.sudp.process.LogSetup;
import io.sudp.runtime.ClientAssembly;
import io.sudp.runtime.TunnelRuntime;
import io.sudp.transport.PeerConnection;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.Display;
import org.jline.utils.InfoCmp.Capability;
import org.jline.utils.NonBlockingReader;
import org.slf4j.LoggerFactory;

/**
 * The live view of a foreground instance on a terminal: its status table redrawn every second,
 * flows on request, and the log in a pane below, so that log lines never tear the table. Keys
 * switch debug logging, force a reconnect, or quit with the same drain as SIGTERM. JLine does the
 * terminal work (raw mode, capabilities, redrawing only what changed).
 */
final class LiveView implements AutoCloseable {
  private static final List<String> HELP =
      List.of(
          "KEYS  q or Ctrl-C quit (drains, as SIGTERM)   d debug logging on/off",
          "      f flows of the selected tunnel (server: connections)   Tab next tunnel",
          "      r reconnect to the server now   ? these keys");

  private final TunnelRuntime runtime;
  private final String name;
  private final Terminal terminal;
  private final Attributes saved;
  private final Display display;
  private final LogPane logs;
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(task -> new Thread(task, "sudp-live-view"));
  private final Thread keys;
  private static final int CTRL_C = 3;
  private static final int MAX_CONNECTIONS_SHOWN = 3;
  private final RateLimitedLog problems =
      new RateLimitedLog(LoggerFactory.getLogger(LiveView.class));
  private volatile boolean showHelp;
  private volatile boolean showFlows;
  private volatile int selected;
  private volatile boolean closed;

  private LiveView(TunnelRuntime runtime, String name, LogPane logs, Terminal terminal) {
    this.runtime = runtime;
    this.name = name;
    this.logs = logs;
    this.terminal = terminal;
    this.saved = terminal.enterRawMode();
    // Ctrl-C arrives as a key, so that quitting restores the terminal before the JVM's shutdown.
    Attributes raw = terminal.getAttributes();
    raw.setLocalFlag(Attributes.LocalFlag.ISIG, false);
    terminal.setAttributes(raw);
    this.display = new Display(terminal, true);
    terminal.puts(Capability.enter_ca_mode);
    terminal.puts(Capability.cursor_invisible);
    terminal.puts(Capability.clear_screen);
    terminal.flush();
    keys = new Thread(this::readKeys, "sudp-live-view-keys");
    keys.setDaemon(true);
  }

  /** True when standard input and output are a terminal: a person is watching. */
  static boolean onTerminal() {
    return System.console() != null;
  }

  /**
   * Log lines for the view's pane from now on, instead of the console: called before the instance
   * starts, so that its start-up lines show in the view. {@link #restore} undoes it if no view
   * opens.
   */
  static LogPane captureLog() {
    LogPane pane = new LogPane();
    LogSetup.divertConsole(pane);
    return pane;
  }

  /** Puts the console back and prints the last lines the pane caught (why a start failed). */
  static void restore(LogPane pane) {
    LogSetup.restoreConsole(pane);
    pane.last(20).forEach(System.out::println);
  }

  /**
   * Takes over the terminal and starts drawing {@code runtime}, an instance named {@code name},
   * with the log lines of {@code pane}.
   */
  static LiveView open(TunnelRuntime runtime, String name, LogPane pane) throws IOException {
    Terminal terminal = TerminalBuilder.builder().system(true).build();
    LiveView view = new LiveView(runtime, name, pane, terminal);
    view.keys.start();
    view.ticker.scheduleAtFixedRate(view::drawSafely, 0, 1, TimeUnit.SECONDS);
    return view;
  }

  private void readKeys() {
    NonBlockingReader reader = terminal.reader();
    while (!closed) {
      int key;
      try {
        key = reader.read(250);
      } catch (IOException e) {
        return;
      }
      if (key == NonBlockingReader.EOF) {
        return;
      }
      switch (key) {
        case 'q', 'Q', CTRL_C -> {
          showHelp = false;
          runtime.requestStop();
        }
        case 'd', 'D' -> LogSetup.setDebug(!LogSetup.isDebug());
        case 'f', 'F' -> showFlows = !showFlows;
        case 'r', 'R' -> {
          if (runtime.client() != null) {
            runtime.client().reconnect();
          }
        }
        case '?', 'h' -> showHelp = !showHelp;
        case '\t' -> selected++;
        default -> {
          continue; // a timeout, or a key without a meaning
        }
      }
      ticker.execute(this::drawSafely);
    }
  }

  private void drawSafely() {
    try {
      draw();
    } catch (RuntimeException e) {
      problems.warn("live view: cannot draw: {}", e.toString()); // and try again next second
    }
  }

  private synchronized void draw() {
    if (closed) {
      return;
    }
    Size size = terminal.getSize();
    // One row and one column short of the edges: writing the last cell would scroll the screen.
    int rows = Math.max(size.getRows(), 8) - 1;
    int columns = Math.max(size.getColumns(), 40) - 1;
    JsonObject status = runtime.statusJson();
    List<String> lines = new ArrayList<>();
    lines.add(
        "sudp '"
            + name
            + "'  pid "
            + ProcessHandle.current().pid()
            + "  up "
            + StatusTable.duration(status.getLong("uptimeSeconds"))
            + "  debug "
            + (LogSetup.isDebug() ? "ON" : "off")
            + keepaliveRtt(status)
            + "   q quit  ? keys");
    lines.addAll(StatusTable.lines(status));
    for (String part : List.of("server", "client")) {
      if (status.getJsonObject(part) != null) {
        lines.add(detail(part, status.getJsonObject(part)));
      }
    }
    if (runtime.server() != null && !showFlows) {
      lines.addAll(connections(MAX_CONNECTIONS_SHOWN));
    }
    if (showHelp) {
      lines.addAll(HELP);
    }
    if (showFlows) {
      lines.addAll(flows(status));
    }
    lines.add("-- log " + "-".repeat(Math.max(0, columns - 8)));
    int room = rows - lines.size();
    if (room > 0) {
      lines.addAll(logs.last(room));
    }
    List<AttributedString> screen = new ArrayList<>();
    for (String line : lines.subList(0, Math.min(rows, lines.size()))) {
      screen.add(new AttributedString(line.length() > columns ? line.substring(0, columns) : line));
    }
    display.resize(rows + 1, columns + 1);
    display.update(screen, -1);
    terminal.flush();
  }

  /**
   * Rates in bytes as well, the queue, reconnects and drops by cause: what the table leaves out.
   */
  private static String detail(String part, JsonObject status) {
    JsonObject rates = status.getJsonObject("rates");
    StringBuilder line =
        new StringBuilder(part)
            .append(": up ")
            .append(StatusTable.bytes((long) (double) rates.getDouble("upBytesPerSecond")))
            .append("/s, down ")
            .append(StatusTable.bytes((long) (double) rates.getDouble("downBytesPerSecond")))
            .append("/s, queue ")
            .append(status.getInteger("queue"));
    if (status.containsKey("reconnects")) {
      line.append(", reconnects ").append(status.getLong("reconnects"));
    }
    StringBuilder drops = new StringBuilder();
    status
        .getJsonObject("counts")
        .getJsonObject("drops")
        .forEach(
            drop -> {
              if (((Number) drop.getValue()).longValue() > 0) {
                drops.append(' ').append(drop.getKey()).append('=').append(drop.getValue());
              }
            });
    return line.append(drops.length() == 0 ? ", no drops" : ", drops" + drops).toString();
  }

  /** The server's client connections with their flows, at most {@code limit} of them. */
  private List<String> connections(int limit) {
    List<PeerConnection> peers = runtime.server().socket().connections();
    List<String> lines = new ArrayList<>();
    lines.add("CLIENTS (" + peers.size() + ")");
    for (PeerConnection peer : peers.subList(0, Math.min(limit, peers.size()))) {
      lines.add("  " + peer + ": " + runtime.server().nat().flowCount(peer) + " flows");
    }
    if (peers.size() > limit) {
      lines.add("  ... " + (peers.size() - limit) + " more: f lists them all");
    }
    return lines;
  }

  private static String keepaliveRtt(JsonObject status) {
    JsonObject client = status.getJsonObject("client");
    long rtt = client == null ? -1 : client.getLong("keepaliveRttMicros");
    return rtt < 0 ? "" : "  rtt " + rtt + " us";
  }

  /** The flows of the selected tunnel (client), or the connections with their flows (server). */
  private List<String> flows(JsonObject status) {
    List<String> lines = new ArrayList<>();
    ClientAssembly client = runtime.client();
    JsonArray tunnels =
        status.getJsonObject("client") == null
            ? new JsonArray()
            : status.getJsonObject("client").getJsonArray("tunnels");
    if (client != null && !tunnels.isEmpty()) {
      String tunnel =
          tunnels.getJsonObject(Math.floorMod(selected, tunnels.size())).getString("name");
      lines.add("FLOWS of tunnel " + tunnel + " (Tab: next tunnel)");
      client.describeFlows().stream()
          .filter(line -> line.contains(" tunnel " + tunnel + ","))
          .forEach(line -> lines.add("  " + line));
    }
    if (runtime.server() != null) {
      lines.addAll(connections(Integer.MAX_VALUE));
    }
    return lines;
  }

  /**
   * Gives the terminal back as it was, then shows the last log lines (the shutdown's among them).
   */
  @Override
  public void close() {
    closed = true;
    ticker.shutdownNow();
    try {
      ticker.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      try {
        terminal.puts(Capability.cursor_visible);
        terminal.puts(Capability.exit_ca_mode);
        terminal.setAttributes(saved);
        terminal.flush();
      } catch (RuntimeException e) {
        // stopped by a signal: JLine's own shutdown hook has restored the terminal already
      }
    }
    try {
      terminal.close();
    } catch (IOException e) {
      // the process is ending: nothing left to restore
    }
    restore(logs);
  }
}
