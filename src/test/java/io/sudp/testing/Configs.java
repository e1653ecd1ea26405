package io.sudp.testing;

import io.sudp.config.ConfigException;
import io.sudp.config.SudpConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Writes test configurations as real YAML files and loads them the way the command line does. */
public final class Configs {
  private Configs() {}

  public static Path write(Path dir, String name, String yaml) throws IOException {
    return Files.writeString(dir.resolve(name), yaml);
  }

  /**
   * A whole tunnel on loopback, as in the shipped demo: a server on {@code wsPort} that may reach
   * the echo service on {@code echoPort}, and a client whose tunnel {@code echo} listens on {@code
   * tunnelPort}. The tunnel list comes last, so more entries can be appended.
   */
  public static String loopbackTunnel(int wsPort, int tunnelPort, int echoPort) {
    return """
        server:
          listen: 127.0.0.1:%1$d
          allow: ["127.0.0.1:%3$d"]
        echo:
          listen: 127.0.0.1:%3$d
        client:
          server: ws://127.0.0.1:%1$d/sudp
          tunnels:
            - {name: echo, listen: "127.0.0.1:%2$d", destination: "127.0.0.1:%3$d"}
        """
        .formatted(wsPort, tunnelPort, echoPort);
  }

  /** A server on {@code wsPort} that may reach {@code destination} only. */
  public static String server(int wsPort, String destination) {
    return """
        server:
          listen: 127.0.0.1:%d
          allow: ["%s"]
        """
        .formatted(wsPort, destination);
  }

  /**
   * A route file's entry: a {@code templatedRoute} of {@code sudp-client-tunnel} listening on
   * {@code listen}, to {@code destination}, through the server on {@code wsPort}.
   */
  public static String templatedTunnel(String routeId, int listen, String destination, int wsPort) {
    return """
        - templatedRoute:
            routeTemplateRef: sudp-client-tunnel
            routeId: %s
            parameters:
              - {name: listen, value: "127.0.0.1:%d"}
              - {name: destination, value: "%s"}
              - {name: server, value: "ws://127.0.0.1:%d/sudp"}
        """
        .formatted(routeId, listen, destination, wsPort);
  }

  /** A client with one tunnel named echo from {@code tunnelPort} to {@code destination}. */
  public static String echoClient(int wsPort, int tunnelPort, String destination) {
    return """
        client:
          server: ws://127.0.0.1:%d/sudp
          tunnels:
            - name: echo
              listen: 127.0.0.1:%d
              destination: %s
        """
        .formatted(wsPort, tunnelPort, destination);
  }

  /**
   * The keys of a {@code client:} section (not indented) with one tunnel named echo from {@code
   * tunnelPort} to {@code destination}, through {@code wss://localhost:PORT/sudp} trusting {@code
   * ca}, as alice with the password in {@code passwordFile}: a client of the shipped nginx.
   */
  public static String aliceOverTls(
      int port, Path ca, Path passwordFile, int tunnelPort, String destination) {
    return """
        server: wss://localhost:%d/sudp
        tls: {ca: %s}
        auth: {username: alice, password-file: %s}
        tunnels:
          - {name: echo, listen: "127.0.0.1:%d", destination: "%s"}
        """
        .formatted(port, ca, passwordFile, tunnelPort, destination);
  }

  /** The problems loading {@code yaml} reports; fails the test if it loads. */
  public static List<String> problems(Path dir, String name, String yaml) throws IOException {
    try {
      SudpConfig.load(write(dir, name, yaml));
    } catch (ConfigException e) {
      return e.problems();
    }
    throw new AssertionError(name + " loaded, but problems were expected");
  }

  /** The problems loading {@code file} with {@code environment} reports; fails if it loads. */
  public static List<String> problems(Path file, Map<String, String> environment) {
    try {
      SudpConfig.load(file, environment);
    } catch (ConfigException e) {
      return e.problems();
    }
    throw new AssertionError(file + " loaded, but problems were expected");
  }

  public static SudpConfig load(Path dir, String name, String yaml)
      throws IOException, ConfigException {
    return SudpConfig.load(write(dir, name, yaml));
  }
}
