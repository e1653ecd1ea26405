package io.sudp.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.sudp.runtime.Role;
import io.sudp.runtime.TunnelRuntime;
import io.sudp.testing.FreePorts;
import io.sudp.testing.RawHttp;
import io.sudp.testing.RealProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mindrot.jbcrypt.BCrypt;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The manifests of {@code deploy/kubernetes} (no cluster here): the server configuration in the
 * ConfigMap is one SUDP accepts, the Deployment, Service, Ingress and budget agree with it and with
 * each other, and the files pass yamllint and the Kubernetes API's schemas ({@code
 * check/validate.mjs}).
 */
class KubernetesManifestsTest {
  private static final Path MANIFESTS = Path.of("deploy", "kubernetes");

  @TempDir Path dir;

  @Test
  void theConfigMapsServerConfigurationValidatesAndTheManifestsAgreeWithIt() throws Exception {
    Map<String, Object> deployment = manifest("deployment.yaml");
    Map<String, Object> pod = map(map(map(deployment, "spec"), "template"), "spec");
    Map<String, Object> container = list(pod, "containers").get(0);
    String secretMount = mountPath(container, "auth");

    assertThat(serverYaml()).contains(secretMount + "/htpasswd");
    SudpConfig config = SudpConfig.load(asThePodSeesIt(secretMount, 8080, 9464), Map.of());
    ServerConfig server = config.server();
    assertThat(server.auth()).isNotNull();

    assertThat(container.get("args"))
        .isEqualTo(List.of("server", "-c", mountPath(container, "config") + "/server.yaml"));
    assertThat(containerPort(container, "ws")).isEqualTo(server.listen().port());
    assertThat(containerPort(container, "management"))
        .isEqualTo(config.management().listen().port());
    for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
      Map<String, Object> get = map(map(container, probe), "httpGet");
      assertThat(get.get("port")).as(probe).isEqualTo("management");
      assertThat(get.get("path")).as(probe).isIn("/health/live", "/health/ready");
    }
    assertThat(map(map(container, "readinessProbe"), "httpGet").get("path"))
        .isEqualTo("/health/ready");

    @SuppressWarnings("unchecked")
    List<String> preStop =
        (List<String>) map(map(map(container, "lifecycle"), "preStop"), "exec").get("command");
    Duration pause = Duration.ofSeconds(Long.parseLong(preStop.get(1)));
    assertThat(Duration.ofSeconds(((Number) pod.get("terminationGracePeriodSeconds")).longValue()))
        .as("the grace period: the preStop pause, the drain and 10 s for the rest of the shutdown")
        .isGreaterThanOrEqualTo(pause.plus(server.drainTimeout()).plusSeconds(10));

    assertThat(map(pod, "securityContext").get("runAsNonRoot")).isEqualTo(true);
    assertThat(map(container, "securityContext").get("readOnlyRootFilesystem")).isEqualTo(true);
    assertThat(mountPath(container, "tmp")).isEqualTo("/tmp");
  }

  @Test
  void theProbesPassAsTheKubeletAsksThem() throws Exception {
    int ws = FreePorts.tcp();
    int management = FreePorts.tcp();
    try (TunnelRuntime server =
        new TunnelRuntime(
            SudpConfig.load(asThePodSeesIt("/etc/sudp/secret", ws, management), Map.of()),
            EnumSet.of(Role.SERVER))) {
      server.start();
      // The kubelet asks the pod's address, and names it in Host.
      List<String> host = List.of("Host: 10.244.1.7:" + management, "User-Agent: kube-probe/1.31");
      for (String path : List.of("/health/live", "/health/ready")) {
        assertThat(RawHttp.exchange(management, "GET", path, host, ""))
            .as(path)
            .startsWith("HTTP/1.1 200");
      }
    }
  }

  /** The ConfigMap's server configuration. */
  private static String serverYaml() throws IOException {
    return (String) map(manifest("configmap.yaml"), "data").get("server.yaml");
  }

  /**
   * The ConfigMap's server configuration as a pod reads it, written to a file: the htpasswd file
   * that the Secret mounted at {@code secretMount} brings, the ports {@code ws} and {@code
   * management} in place of the shipped ones.
   */
  private Path asThePodSeesIt(String secretMount, int ws, int management) throws IOException {
    Path htpasswd =
        Files.writeString(
            dir.resolve("htpasswd"), "alice:" + BCrypt.hashpw("secret", BCrypt.gensalt(4)) + "\n");
    return Files.writeString(
        dir.resolve("server.yaml"),
        serverYaml()
            .replace(secretMount + "/htpasswd", htpasswd.toString())
            .replace("listen: 0.0.0.0:8080", "listen: 0.0.0.0:" + ws)
            .replace("listen: 0.0.0.0:9464", "listen: 0.0.0.0:" + management));
  }

  @Test
  void theServiceIngressAndBudgetReachTheDeploymentsPods() throws Exception {
    Map<String, Object> deployment = manifest("deployment.yaml");
    Object labels = map(map(map(deployment, "spec"), "template"), "metadata").get("labels");
    assertThat(map(map(deployment, "spec"), "selector").get("matchLabels")).isEqualTo(labels);

    Map<String, Object> service = manifest("service.yaml");
    assertThat(map(service, "spec").get("selector")).isEqualTo(labels);
    List<Object> targets = new ArrayList<>();
    list(map(service, "spec"), "ports").forEach(port -> targets.add(port.get("targetPort")));
    assertThat(targets).containsExactly("ws", "management");

    Map<String, Object> ingress = manifest("ingress.yaml");
    assertThat(map(map(ingress, "metadata"), "annotations"))
        .containsEntry("nginx.ingress.kubernetes.io/upstream-hash-by", "$http_sudp_session")
        .containsEntry("nginx.ingress.kubernetes.io/proxy-next-upstream", "error timeout http_503");
    Map<String, Object> path =
        list(map(list(map(ingress, "spec"), "rules").get(0), "http"), "paths").get(0);
    Map<String, Object> backend = map(map(path, "backend"), "service");
    assertThat(backend.get("name")).isEqualTo(map(service, "metadata").get("name"));
    assertThat(map(backend, "port").get("name")).isEqualTo("ws");

    Map<String, Object> budget = manifest("pdb.yaml");
    assertThat(map(map(budget, "spec"), "selector").get("matchLabels")).isEqualTo(labels);
  }

  @Test
  void theManifestsPassYamllintAndTheKubernetesSchemas() throws Exception {
    List<String> yamllint =
        new ArrayList<>(
            List.of(
                RealProcess.program("yamllint", "yamllint"),
                "-s",
                "-c",
                MANIFESTS.resolve(".yamllint").toString()));
    try (Stream<Path> files = Files.list(MANIFESTS)) {
      files
          .filter(file -> file.toString().endsWith(".yaml"))
          .forEach(file -> yamllint.add(file.toString()));
    }
    assertThat(run(yamllint.toArray(String[]::new))).isEmpty();
    if (!Files.isDirectory(MANIFESTS.resolve("check/node_modules"))) {
      RealProcess.missing(
          "deploy/kubernetes/check has no node_modules: npm ci --prefix deploy/kubernetes/check");
    }
    assertThat(
            run(
                RealProcess.program("node", "nodejs"),
                MANIFESTS.resolve("check/validate.mjs").toString()))
        .endsWith("manifests checked: valid");
  }

  /** Runs a checking program; its output, failing the test unless it exits 0. */
  private static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output =
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command) + ":\n" + output).isZero();
    return output;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> manifest(String file) throws IOException {
    return (Map<String, Object>)
        new Load(LoadSettings.builder().build())
            .loadFromString(Files.readString(MANIFESTS.resolve(file)));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> parent, String key) {
    assertThat(parent).containsKey(key);
    return (Map<String, Object>) parent.get(key);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
    assertThat(parent).containsKey(key);
    return (List<Map<String, Object>>) parent.get(key);
  }

  private static String mountPath(Map<String, Object> container, String volume) {
    return (String)
        list(container, "volumeMounts").stream()
            .filter(mount -> volume.equals(mount.get("name")))
            .findFirst()
            .orElseThrow()
            .get("mountPath");
  }

  private static int containerPort(Map<String, Object> container, String name) {
    return ((Number)
            list(container, "ports").stream()
                .filter(port -> name.equals(port.get("name")))
                .findFirst()
                .orElseThrow()
                .get("containerPort"))
        .intValue();
  }
}
