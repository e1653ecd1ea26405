package io.sudp.testing;

import io.sudp.config.ConfigException;
import io.sudp.runtime.Role;
import io.sudp.runtime.TunnelRuntime;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;

/** In-process server and client runtimes, configured through real YAML files as users do. */
public final class Runtimes {
  private Runtimes() {}

  /** A started server on {@code wsPort} that may reach {@code allow}. */
  public static TunnelRuntime server(Path dir, int wsPort, String allow) throws Exception {
    return server(dir, wsPort, null, allow);
  }

  /**
   * A started server on {@code wsPort} that may reach each of {@code allow}, speaking TLS with the
   * server certificate of {@code tls} (null: plain).
   */
  public static TunnelRuntime server(Path dir, int wsPort, TestTls tls, String... allow)
      throws Exception {
    return start(
        Role.SERVER,
        dir,
        "server-" + wsPort + ".yaml",
        """
        server:
          listen: 127.0.0.1:%d
          allow: ["%s"]
        %s"""
            .formatted(
                wsPort,
                String.join("\", \"", allow),
                tls == null
                    ? ""
                    : "  tls: {certificate: %s, key: %s}\n"
                        .formatted(tls.serverCertificate(), tls.serverKey())));
  }

  /** A started server whose {@code server:} section holds {@code keys} (YAML, not indented). */
  public static TunnelRuntime server(Path dir, String keys) throws Exception {
    return section(Role.SERVER, dir, keys);
  }

  /** A started client with one tunnel named echo from {@code tunnelPort} to {@code destination}. */
  public static TunnelRuntime client(Path dir, int wsPort, int tunnelPort, String destination)
      throws Exception {
    return start(
        Role.CLIENT,
        dir,
        "client-" + tunnelPort + ".yaml",
        Configs.echoClient(wsPort, tunnelPort, destination));
  }

  /** A started client whose {@code client:} section holds {@code keys} (YAML, not indented). */
  public static TunnelRuntime client(Path dir, String keys) throws Exception {
    return section(Role.CLIENT, dir, keys);
  }

  /** A started runtime of {@code role} whose section of that name holds {@code keys}. */
  private static TunnelRuntime section(Role role, Path dir, String keys) throws Exception {
    String name = role.name().toLowerCase(Locale.ROOT);
    return start(
        role, dir, name + "-" + System.nanoTime() + ".yaml", name + ":\n" + keys.strip().indent(2));
  }

  /**
   * What the management port of {@code runtime} serves at {@code /metrics} now. HTTP/1.1, as
   * Prometheus scrapes, and within a bound: the JDK client's upgrade to HTTP/2 was once seen to
   * leave the answer unread and the test waiting for ever.
   */
  public static String metrics(TunnelRuntime runtime) throws IOException, InterruptedException {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .build()
        .send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + runtime.managementPort() + "/metrics"))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** A started runtime of {@code role} from {@code yaml}, written to {@code dir/file}. */
  public static TunnelRuntime start(Role role, Path dir, String file, String yaml)
      throws IOException, ConfigException, Exception {
    TunnelRuntime runtime = new TunnelRuntime(Configs.load(dir, file, yaml), EnumSet.of(role));
    try {
      runtime.start();
    } catch (Exception e) {
      runtime.close();
      throw e;
    }
    return runtime;
  }
}
