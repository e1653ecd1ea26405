package io.sudp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sudp.testing.Configs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SudpCommandTest {
  /** A command's line in the help: indented by two, the command first. */
  private static final Pattern COMMAND_LINE = Pattern.compile(" {2}([a-z]+)\\b.*");

  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return run(Map.of(), args);
  }

  private int run(Map<String, String> environment, String... args) {
    return Sudp.run(
        args,
        environment,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void helpDocumentsEveryCommandAndNoOther() {
    assertThat(run("--help")).isZero();
    String help = out.toString(StandardCharsets.UTF_8);
    Set<String> described =
        help.lines()
            .map(COMMAND_LINE::matcher)
            .filter(Matcher::matches)
            .map(line -> line.group(1))
            .collect(Collectors.toSet());
    assertThat(described).as("commands with a line of their own").isEqualTo(Sudp.COMMANDS);
    assertThat(help).contains("--config", "Exit status");
  }

  @Test
  void validateAcceptsTheShippedConfigurations() {
    for (String file :
        new String[] {"config/sudp.yaml", "config/server.yaml", "config/client.yaml"}) {
      assertThat(run("validate", "-c", file)).as(err.toString(StandardCharsets.UTF_8)).isZero();
    }
  }

  @Test
  void badConfigurationExitsWithTwoAndOneLinePerProblem() throws Exception {
    Path file = Configs.write(dir, "bad.yaml", "server:\n  listen: nowhere\n  allow: [x]\n");

    assertThat(run("server", "-c", file.toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8).lines())
        .containsExactly(
            file
                + ":2: server.listen: 'nowhere' has no port (expected HOST:PORT, e.g. 127.0.0.1:5300)",
            file
                + ":3: server.allow: 'x' is not HOST_OR_CIDR:PORTS (e.g. 10.0.0.0/8:53 or [::1]:7000-7100)");
  }

  @Test
  void aDurationBeyondItsRangeIsAProblemNotACrash() throws Exception {
    Path file =
        Configs.write(
            dir,
            "huge.yaml",
            "server:\n  listen: 127.0.0.1:0\n  idle-timeout: 99999999999999999h\n");

    assertThat(run("validate", "-c", file.toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8).lines())
        .containsExactly(
            file
                + ":3: server.idle-timeout: '99999999999999999h' is not a duration in 100ms..168h"
                + " (e.g. 500ms, 30s, 2m, 1h)");
  }

  @Test
  void aFileThatCannotBeReadIsOneLineWithItsReason() throws Exception {
    Path missing = dir.resolve("missing.yaml");
    Path latin1 =
        Files.write(
            dir.resolve("latin1.yaml"),
            "echo:\n  listen: 127.0.0.1:0 # caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
    Path broken = Configs.write(dir, "broken.yaml", "echo:\n  listen: 127.0.0.1:0\n   port: 7\n");

    assertThat(run("validate", "-c", missing.toString())).isEqualTo(2);
    assertThat(run("validate", "-c", latin1.toString())).isEqualTo(2);
    assertThat(run("server", "-c", broken.toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8).lines())
        .containsExactly(
            missing + ": cannot read: no such file",
            latin1 + ":2: not UTF-8 text (byte 0xE9 at column 28; save the file as UTF-8)",
            broken + ":3: not valid YAML: mapping values are not allowed here");
  }

  @Test
  void unknownSudpVariablesAreWarnedOfOnceEach() throws Exception {
    Path file =
        Configs.write(
            dir,
            "env.yaml",
            """
        server:
          listen: 127.0.0.1:0
        client:
          server: ws://127.0.0.1:1/sudp
          auth: {username: alice, password-env: SUDP_PASSWORD}
          tunnels:
            - {name: a, listen: "127.0.0.1:0", destination: "{{env:SUDP_DNS:192.0.2.1}}:53"}
        """);
    Map<String, String> environment =
        Map.of(
            "SUDP_SERVER_KEEPALIV", "5s",
            "SUDP_CLIENT_TUNNEL_0_LISTEN", "127.0.0.1:5353",
            "SUDP_SERVER_FLOWS", "10",
            "SUDP_SERVER_LISTEN", "127.0.0.1:0",
            "SUDP_PASSWORD", "secret",
            "SUDP_DNS", "192.0.2.53",
            "SUDP_ECHO_LISTEN", "127.0.0.1:7",
            "SUDP_OPTS", "-Xmx64m",
            "SUDP_HOME", "/opt/sudp",
            "SUDP_SERVR_ALLOW", "192.0.2.53:53");

    assertThat(run(environment, "validate", "-c", file.toString())).isZero();
    String unknown = "): warning: unknown variable: overrides no key of this file, ignored";
    assertThat(err.toString(StandardCharsets.UTF_8).lines())
        .containsExactly(
            file
                + " (SUDP_CLIENT_TUNNEL_0_LISTEN"
                + unknown
                + " (did you mean 'SUDP_CLIENT_TUNNELS_0_LISTEN'?)",
            file + " (SUDP_SERVER_FLOWS" + unknown,
            file + " (SUDP_SERVER_KEEPALIV" + unknown + " (did you mean 'SUDP_SERVER_KEEPALIVE'?)",
            file + " (SUDP_SERVR_ALLOW" + unknown + " (did you mean 'SUDP_SERVER_ALLOW'?)");
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(file + ": valid\n");
  }

  @Test
  void aMistypedVariableIsWarnedOfBesideTheProblemItCauses() throws Exception {
    Path file =
        Configs.write(
            dir,
            "client.yaml",
            """
        client:
          server: ws://127.0.0.1:1/sudp
          tunnels: [{name: a, destination: "192.0.2.1:53"}]
        """);

    assertThat(
            run(
                Map.of("SUDP_CLIENT_TUNNELS_0_LISTN", "127.0.0.1:0"),
                "client",
                "-c",
                file.toString()))
        .isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8).lines())
        .containsExactly(
            file
                + " (SUDP_CLIENT_TUNNELS_0_LISTN): warning: unknown variable: overrides no key of"
                + " this file, ignored (did you mean 'SUDP_CLIENT_TUNNELS_0_LISTEN'?)",
            file + ":3: client.tunnels[0].listen: is required");
  }

  @Test
  void aCommandNeedsItsSection() throws Exception {
    Path file = Configs.write(dir, "echo.yaml", "echo:\n  listen: 127.0.0.1:0\n");

    assertThat(run("client", "-c", file.toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("client: section required");
  }

  @Test
  void unknownCommandsAndMissingArgumentsAreUsageErrors() {
    assertThat(run("serve", "-c", "x.yaml")).isEqualTo(2);
    assertThat(run("server")).isEqualTo(2);
    assertThat(run("server", "-c")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown command 'serve'");
  }
}
