package io.sudp.bench;

import io.sudp.testing.FreePorts;
import io.sudp.testing.RealProcess;
import io.sudp.testing.ScratchDirectories;
import io.vertx.core.json.JsonObject;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** A SUDP server and client, each a process of the packaged jar, tunnelling to one destination. */
final class TunnelProcesses implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Path dir;
  private final RealProcess server;
  private final RealProcess client;
  private final int entryPort;
  private final int sinkEntryPort;
  private final int serverPort;
  private final MetricsScraper scraper;
  private final int[] managementPorts;

  private TunnelProcesses(
      Path dir,
      RealProcess server,
      RealProcess client,
      int entryPort,
      int sinkEntryPort,
      int serverPort,
      MetricsScraper scraper,
      int... managementPorts) {
    this.serverPort = serverPort;
    this.scraper = scraper;
    this.managementPorts = managementPorts;
    this.dir = dir;
    this.server = server;
    this.client = client;
    this.entryPort = entryPort;
    this.sinkEntryPort = sinkEntryPort;
  }

  /**
   * @param sinkPort a second destination, reached through a second tunnel ({@link #sinkEntry}),
   *     such as iperf2's server; 0 for none
   * @param management true: both processes serve their management port, scraped every second as
   *     Prometheus would, with Camel's JMX statistics on (as shipped); false: neither, JMX off
   * @param warmUp both processes' {@code warm-up} (0s: none, the default)
   */
  static TunnelProcesses start(
      int destinationPort, int sinkPort, String jvmArgs, boolean management, String warmUp)
      throws Exception {
    Path dir = Files.createTempDirectory("sudp-bench");
    int ws = FreePorts.tcp();
    int entry = FreePorts.udp();
    int sinkEntry = sinkPort == 0 ? 0 : FreePorts.udp();
    int serverManagement = FreePorts.tcp();
    int clientManagement = FreePorts.tcp();
    Files.writeString(
        dir.resolve("server.yaml"),
        "warm-up: "
            + warmUp
            + "\n"
            + managementSection(management, serverManagement)
            + """
        server:
          listen: 127.0.0.1:%d
          allow: ["127.0.0.1:%d", "127.0.0.1:%d"]
        """
                .formatted(ws, destinationPort, sinkPort == 0 ? destinationPort : sinkPort));
    Files.writeString(
        dir.resolve("client.yaml"),
        "warm-up: "
            + warmUp
            + "\n"
            + managementSection(management, clientManagement)
            + """
        client:
          server: ws://127.0.0.1:%d/sudp
          tunnels:
            - name: bench
              listen: 127.0.0.1:%d
              destination: 127.0.0.1:%d
        """
                .formatted(ws, entry, destinationPort)
            + (sinkPort == 0
                ? ""
                : """
                    - name: sink
                      listen: 127.0.0.1:%d
                      destination: 127.0.0.1:%d
                """
                    .formatted(sinkEntry, sinkPort)));
    String jvm = management ? jvmArgs : jvmArgs + " -Dorg.apache.camel.jmx.disabled=true";
    RealProcess server = RealProcess.start(dir, "server", command(jvm, "server", dir));
    RealProcess client = RealProcess.start(dir, "client", command(jvm, "client", dir));
    TunnelProcesses processes =
        new TunnelProcesses(
            dir,
            server,
            client,
            entry,
            sinkEntry,
            ws,
            management ? new MetricsScraper(serverManagement, clientManagement) : null,
            management ? new int[] {serverManagement, clientManagement} : new int[0]);
    awaitTraffic(processes.entry(), server, client);
    return processes;
  }

  private static String managementSection(boolean management, int port) {
    return management ? "management:\n  listen: 127.0.0.1:" + port + "\n" : "";
  }

  static List<String> command(String jvmArgs, String role, Path dir) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (!jvmArgs.isBlank()) {
      command.addAll(List.of(jvmArgs.trim().split("\\s+")));
    }
    command.addAll(
        List.of("-jar", RealProcess.jar(), role, "-c", dir.resolve(role + ".yaml").toString()));
    return command;
  }

  /** Waits until a datagram sent to {@code entry} comes back; fails if a process died. */
  static void awaitTraffic(InetSocketAddress entry, RealProcess... processes) throws Exception {
    try (DatagramSocket probe = new DatagramSocket()) {
      probe.connect(entry);
      probe.setSoTimeout(500);
      for (int attempt = 0; attempt < 120; attempt++) {
        probe.send(new DatagramPacket(new byte[1], 1));
        try {
          probe.receive(new DatagramPacket(new byte[16], 16));
          return;
        } catch (SocketTimeoutException | PortUnreachableException notYet) {
          for (RealProcess process : processes) {
            if (!process.isAlive()) {
              throw new IllegalStateException("tunnel process died: " + process.output());
            }
          }
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500)); // still starting
        }
      }
    }
    throw new IllegalStateException("no traffic through the tunnel after 60 s");
  }

  /**
   * The datagrams each process has dropped so far, by cause, as its {@code /status.json} reports
   * them ("server {queue_full=12}, client {}"); empty without management ports.
   */
  String drops() throws Exception {
    List<String> parts = new ArrayList<>();
    for (int port : managementPorts) {
      JsonObject status =
          new JsonObject(
              HTTP.send(
                      HttpRequest.newBuilder(
                              URI.create("http://127.0.0.1:" + port + "/status.json"))
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body());
      String part = status.containsKey("server") ? "server" : "client";
      JsonObject drops = status.getJsonObject(part).getJsonObject("counts").getJsonObject("drops");
      Map<String, Object> nonZero = new TreeMap<>();
      drops.forEach(
          entry -> {
            if (((Number) entry.getValue()).longValue() > 0) {
              nonZero.put(entry.getKey(), entry.getValue());
            }
          });
      parts.add(part + " " + nonZero);
    }
    return String.join(", ", parts);
  }

  /**
   * CPU time both processes have used so far, in microseconds: per round trip at a paced load, the
   * figure a busy shared machine distorts least (throughput there is what the others leave over).
   */
  long cpuMicros() {
    return cpuMicros(server) + cpuMicros(client);
  }

  /** CPU time {@code process} has used so far, in microseconds. */
  static long cpuMicros(RealProcess process) {
    return ProcessHandle.of(process.pid())
        .flatMap(handle -> handle.info().totalCpuDuration())
        .map(cpu -> cpu.toNanos() / 1000)
        .orElseThrow(() -> new IllegalStateException("no CPU time for pid " + process.pid()));
  }

  /** The server's WebSocket port. */
  int serverPort() {
    return serverPort;
  }

  InetSocketAddress entry() {
    return new InetSocketAddress("127.0.0.1", entryPort);
  }

  /** The port of the tunnel to the second destination ({@code sinkPort} of {@link #start}). */
  int sinkEntryPort() {
    return sinkEntryPort;
  }

  @Override
  public void close() throws Exception {
    if (scraper != null) {
      scraper.close();
    }
    client.close();
    server.close();
    ScratchDirectories.delete(dir);
  }
}
