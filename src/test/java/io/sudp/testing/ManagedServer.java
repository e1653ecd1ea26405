package io.sudp.testing;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real server process of the packaged jar, seen from outside as an operator sees it: its
 * management port (health, status), its heap (through {@code jcmd}), its open file descriptors and
 * the size of its log.
 */
public final class ManagedServer implements AutoCloseable {
  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

  private final RealProcess process;
  private final int managementPort;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private ManagedServer(RealProcess process, int managementPort) {
    this.process = process;
    this.managementPort = managementPort;
  }

  /**
   * Starts {@code sudp server -c config} with {@code jvmOptions}, its management port given, and at
   * most {@code fileDescriptors} open files (0: as the test has).
   */
  public static ManagedServer start(
      Path dir, Path config, int managementPort, List<String> jvmOptions, int fileDescriptors)
      throws IOException {
    List<String> command = new ArrayList<>();
    if (fileDescriptors > 0) {
      command.addAll(
          List.of("/bin/sh", "-c", "ulimit -n " + fileDescriptors + " && exec \"$@\"", "sh"));
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", RealProcess.jar(), "server", "-c", config.toString()));
    return new ManagedServer(RealProcess.start(dir, "server", command), managementPort);
  }

  public RealProcess process() {
    return process;
  }

  /** The status code of {@code /health/live}, or -1 if it did not answer within 5 s. */
  public int live() {
    try {
      return http.send(
              HttpRequest.newBuilder(uri("/health/live")).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The server's part of {@code /status.json}. */
  public JsonObject status() throws IOException, InterruptedException {
    String body =
        http.send(
                HttpRequest.newBuilder(uri("/status.json")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return new JsonObject(body).getJsonObject("server");
  }

  /** A count of {@code /status.json}'s {@code counts}: e.g. {@code ("drops", "forbidden")}. */
  public long count(String group, String cause) throws IOException, InterruptedException {
    return status().getJsonObject("counts").getJsonObject(group).getLong(cause);
  }

  /** Heap in use after a full collection, in bytes (what the process really holds). */
  public long heapAfterGc() throws IOException, InterruptedException {
    jcmd("GC.run");
    Matcher used = HEAP_USED.matcher(jcmd("GC.heap_info"));
    if (!used.find()) {
      throw new IllegalStateException("no heap figure from jcmd");
    }
    return Long.parseLong(used.group(1)) * 1024;
  }

  /** File descriptors the process has open. */
  public long openFileDescriptors() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(process.pid()), "fd"))) {
      return fds.count();
    }
  }

  private String jcmd(String command) throws IOException, InterruptedException {
    Process jcmd =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(process.pid()),
                command)
            .redirectErrorStream(true)
            .start();
    String output = new String(jcmd.getInputStream().readAllBytes());
    if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
      throw new IllegalStateException("jcmd " + command + " failed: " + output);
    }
    return output;
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + managementPort + path);
  }

  @Override
  public void close() throws InterruptedException {
    process.close();
  }
}
