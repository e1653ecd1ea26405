package io.sudp.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.testing.FreePorts;
import io.sudp.testing.RealProcess;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No Docker engine runs here, so this runs what the image runs: the ENTRYPOINT and CMD of
 * docker/Dockerfile, with its ENV and its configuration file at the path it copies it to (mapped
 * into a temporary directory), then the HEALTHCHECK command, asks the server's JVM over Jolokia
 * whether it exits on an OutOfMemoryError, and stops it as Docker does.
 */
class DockerImageCommandIT {
  @TempDir Path dir;

  private static List<String> jsonArray(String dockerfile, String instruction) {
    Matcher line = Pattern.compile("(?m)^" + instruction + " \\[(.*)]$").matcher(dockerfile);
    assertThat(line.find()).as(instruction + " in docker/Dockerfile").isTrue();
    List<String> items = new ArrayList<>();
    Matcher item = Pattern.compile("\"([^\"]*)\"").matcher(line.group(1));
    while (item.find()) {
      items.add(item.group(1));
    }
    return items;
  }

  @Test
  void theImagesCommandStartsAServerThatItsHealthCheckFindsReady() throws Exception {
    String dockerfile = Files.readString(Path.of("docker", "Dockerfile")).replace("\\\n", " ");
    Path etc = Files.createDirectories(dir.resolve("etc/sudp"));
    Files.copy(Path.of("docker", "server.yaml"), etc.resolve("server.yaml"));
    Map<String, String> paths =
        Map.of(
            "/opt/sudp/sudp.jar", Path.of(RealProcess.jar()).toAbsolutePath().toString(),
            "/etc/sudp/server.yaml", etc.resolve("server.yaml").toString());

    Map<String, String> environment = new HashMap<>();
    Matcher env = Pattern.compile("(?m)^ENV (\\w+)=\"([^\"]*)\"$").matcher(dockerfile);
    while (env.find()) {
      environment.put(env.group(1), env.group(2));
    }
    // The only change: free ports instead of 8080 and 9464, as `docker run -e` would set them.
    environment.put("SUDP_SERVER_LISTEN", "127.0.0.1:" + FreePorts.tcp());
    int management = FreePorts.tcp();
    environment.put("SUDP_MANAGEMENT_LISTEN", "127.0.0.1:" + management);

    List<String> command = new ArrayList<>(jsonArray(dockerfile, "ENTRYPOINT"));
    command.addAll(jsonArray(dockerfile, "CMD"));
    List<String> health = jsonArray(dockerfile, "HEALTHCHECK .*CMD");
    try (RealProcess server = start(command, paths, environment, "server")) {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> run(health, paths, environment) == 0);
      assertThat(jvmOptions(management)).contains("-XX:+ExitOnOutOfMemoryError");
      assertThat(server.stop()).as(server.output()).isEqualTo(0);
    }
  }

  /** The JVM options of the process behind the management port, read as an operator can. */
  private static String jvmOptions(int management) throws Exception {
    URI uri =
        URI.create(
            "http://127.0.0.1:"
                + management
                + "/jolokia/read/java.lang:type=Runtime/InputArguments");
    String body =
        HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
            .body();
    return new JsonObject(body).getJsonArray("value").encode();
  }

  private RealProcess start(
      List<String> command, Map<String, String> paths, Map<String, String> environment, String name)
      throws Exception {
    ProcessBuilder builder =
        RealProcess.privateRuntime(new ProcessBuilder(mapped(command, paths)), dir);
    builder.environment().putAll(environment);
    Path log = dir.resolve(name + ".log");
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    return RealProcess.of(builder.start(), log);
  }

  private int run(List<String> command, Map<String, String> paths, Map<String, String> environment)
      throws Exception {
    ProcessBuilder builder =
        RealProcess.privateRuntime(new ProcessBuilder(mapped(command, paths)), dir);
    builder.environment().putAll(environment);
    builder.redirectErrorStream(true).redirectOutput(dir.resolve("health.log").toFile());
    Process process = builder.start();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return -1;
    }
    return process.exitValue();
  }

  private static List<String> mapped(List<String> command, Map<String, String> paths) {
    List<String> result = new ArrayList<>();
    for (String part : command) {
      String value = paths.getOrDefault(part, part);
      result.add(
          value.equals("java")
              ? Path.of(System.getProperty("java.home"), "bin", "java").toString()
              : value);
    }
    return result;
  }
}
