package io.sudp.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sudp.testing.Configs;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigValidationTest {
  @TempDir Path dir;

  @Test
  void readsAFullConfigurationWithDefaults() throws Exception {
    SudpConfig config =
        Configs.load(
            dir,
            "ok.yaml",
            """
        server:
          listen: 0.0.0.0:0
          allow: ["10.0.0.0/8:53", "[::1]:7000-7100", "dns.example:*"]
        client:
          server: wss://tunnel.example/sudp
          tunnels:
            - name: dns
              listen: "[::1]:5353"
              destination: dns.example:53
        echo:
          listen: 127.0.0.1:7
        """);

    assertThat(config.server().path()).isEqualTo("/sudp");
    assertThat(config.server().idleTimeout()).isEqualTo(Duration.ofSeconds(120));
    assertThat(config.server().allow()).hasSize(3);
    assertThat(config.client().tunnels().get(0).listen()).isEqualTo(new HostPort("::1", 5353));
    assertThat(config.echo().listen().port()).isEqualTo(7);
  }

  @Test
  void reportsEveryProblemAtOnceWithFileAndKey() throws Exception {
    Path file = dir.resolve("bad.yaml");
    assertThat(
            Configs.problems(
                dir,
                "bad.yaml",
                """
        server:
          listen: 0.0.0.0:99999
          path: sudp
          idle-timeout: 2 minutes
          max-flows-per-connection: many
          allow: ["10.0.0.0/33:53", "10.0.0.1:0", "not an address:53"]
          queue:
            frames: 1
        client:
          server: http://x/sudp
          tunnels:
            - name: dns
              listen: 127.0.0.1:5353
            - name: dns
              lisen: 127.0.0.1:5354
              destination: x:53
        extra: 1
        """))
        .containsExactly(
            file
                + ":17: extra: unknown key (known here: client, daemon, echo, logging, management, name, server, warm-up)",
            file
                + ":2: server.listen: '0.0.0.0:99999': port must be 0..65535 (expected HOST:PORT, e.g. 127.0.0.1:5300)",
            file + ":3: server.path: 'sudp' must start with / (e.g. /sudp)",
            file
                + ":4: server.idle-timeout: '2 minutes' is not a duration in 100ms..168h (e.g. 500ms, 30s, 2m, 1h)",
            file
                + ":5: server.max-flows-per-connection: 'many' is not a whole number in 1..1000000",
            file + ":6: server.allow: '10.0.0.0/33:53': prefix length must be 0..32",
            file + ":6: server.allow: '10.0.0.1:0': ports must be N, N-M or * within 1..65535",
            file
                + ":6: server.allow: 'not an address:53': 'not an address' is neither an IP address, a CIDR block nor a host name",
            file + ":8: server.queue.frames: '1' is not a whole number in 16..1048576",
            file + ":10: client.server: 'http://x/sudp' is not a ws:// or wss:// URL",
            file + ":12: client.tunnels[0].destination: is required",
            file + ":14: client.tunnels[1].name: 'dns' is used by another tunnel (" + file + ":12)",
            file + ":14: client.tunnels[1].listen: is required",
            file + ":15: client.tunnels[1].lisen: unknown key (did you mean 'listen'?)");
  }

  /**
   * A tunnel named like a connection's return route would replace that route (the client would
   * never connect), in the file or in an instance file, named there or by the file's name.
   */
  @Test
  void tunnelNamesThatTakeARoutesIdAreReserved() throws Exception {
    Path instances = Files.createDirectories(dir.resolve("instances.d"));
    Files.writeString(
        instances.resolve("downstream-1.yaml"), "listen: 127.0.0.1:0\ndestination: x:53\n");
    Files.writeString(
        instances.resolve("wg.yaml"), "listen: 127.0.0.1:0\nname: downstream\ndestination: x:53\n");
    Files.writeString(
        instances.resolve("downstream-dns.yaml"), "listen: 127.0.0.1:0\ndestination: x:53\n");
    Path file = dir.resolve("reserved.yaml");
    String reason =
        "' is reserved (its route id sudp-client-%s is that of a server connection's return"
            + " route, which the tunnel would replace; name the tunnel otherwise, e.g. '%s-tunnel')";
    assertThat(
            Configs.problems(
                dir,
                "reserved.yaml",
                """
        client:
          server: ws://127.0.0.1:1/sudp
          instances-dir: instances.d
          tunnels:
            - {name: downstream, listen: "127.0.0.1:0", destination: "x:53"}
            - {name: downstream-2, listen: "127.0.0.1:0", destination: "x:53"}
            - {name: downstream-02, listen: "127.0.0.1:0", destination: "x:53"}
            - {name: Downstream, listen: "127.0.0.1:0", destination: "x:53"}
        """))
        .containsExactly(
            file
                + ":5: client.tunnels[0].name: 'downstream"
                + reason.formatted("downstream", "downstream"),
            file
                + ":6: client.tunnels[1].name: 'downstream-2"
                + reason.formatted("downstream-2", "downstream-2"),
            instances.resolve("downstream-1.yaml")
                + ": name: 'downstream-1"
                + reason.formatted("downstream-1", "downstream-1"),
            instances.resolve("wg.yaml")
                + ":2: name: 'downstream"
                + reason.formatted("downstream", "downstream"));
  }

  @Test
  void sizesTakeUnits() throws Exception {
    SudpConfig config =
        Configs.load(
            dir,
            "sizes.yaml",
            """
        server:
          listen: 127.0.0.1:0
          queue: {bytes: 8MiB}
        client:
          server: ws://127.0.0.1:1/sudp
          queue: {bytes: 512 KB}
          tunnels: [{name: a, listen: "127.0.0.1:0", destination: "192.0.2.1:53"}]
        """);
    assertThat(config.server().queue().bytes()).isEqualTo(8L << 20);
    assertThat(config.client().queue().bytes()).isEqualTo(512_000L);

    assertThatThrownBy(
            () ->
                Configs.load(
                    dir,
                    "bad-size.yaml",
                    "server:\n  listen: 127.0.0.1:0\n  queue: {bytes: 3 parsecs}\n"))
        .hasMessageContaining("server.queue.bytes: '3 parsecs' is not a size in");
  }

  @Test
  void durationsStayWithinTheirKeysRange() throws Exception {
    Path file = dir.resolve("durations.yaml");
    assertThat(
            Configs.problems(
                dir,
                "durations.yaml",
                """
        server:
          listen: 127.0.0.1:0
          idle-timeout: 9999999999999h
          keepalive: 1ms
          resume-timeout: 99999999999999999h
          handshake-timeout: 0s
          drain-timeout: -5s
          queue: {max-age: 2h}
        client:
          server: ws://127.0.0.1:1/sudp
          reconnect: {initial: 1ms}
          tunnels:
            - {name: a, listen: "127.0.0.1:0", destination: "192.0.2.1:53", idle-timeout: 169h}
        warm-up: 2m
        """))
        .containsExactly(
            file + ":14: warm-up: '2m' is not a duration in 0s..1m (e.g. 500ms, 30s, 2m, 1h)",
            file
                + ":3: server.idle-timeout: '9999999999999h' is not a duration in 100ms..168h"
                + " (e.g. 500ms, 30s, 2m, 1h)",
            file
                + ":4: server.keepalive: '1ms' is not a duration in 100ms..1h (e.g. 500ms, 30s,"
                + " 2m, 1h)",
            file
                + ":5: server.resume-timeout: '99999999999999999h' is not a duration in 1s..24h"
                + " (e.g. 500ms, 30s, 2m, 1h)",
            file
                + ":6: server.handshake-timeout: '0s' is not a duration in 100ms..1h (e.g. 500ms,"
                + " 30s, 2m, 1h)",
            file
                + ":8: server.queue.max-age: '2h' is not a duration in 10ms..1h (e.g. 500ms, 30s,"
                + " 2m, 1h)",
            file
                + ":7: server.drain-timeout: '-5s' is not a duration in 100ms..1h (e.g. 500ms,"
                + " 30s, 2m, 1h)",
            file
                + ":11: client.reconnect.initial: '1ms' is not a duration in 10ms..1h (e.g. 500ms,"
                + " 30s, 2m, 1h)",
            file
                + ":13: client.tunnels[0].idle-timeout: '169h' is not a duration in 100ms..168h"
                + " (e.g. 500ms, 30s, 2m, 1h)");

    SudpConfig edges =
        Configs.load(
            dir,
            "edges.yaml",
            """
        server:
          listen: 127.0.0.1:0
          idle-timeout: 168h
          keepalive: 100ms
          resume-timeout: 24h
        warm-up: 1m
        """);
    assertThat(edges.server().idleTimeout()).isEqualTo(Duration.ofDays(7));
    assertThat(edges.warmUp()).isEqualTo(Duration.ofMinutes(1));
    assertThat(edges.server().keepalive()).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void theEnvironmentOverridesAnyKeyByOneNamingRule() throws Exception {
    Path file =
        Configs.write(
            dir,
            "env.yaml",
            """
        server:
          listen: 127.0.0.1:8080
          allow: ["127.0.0.1:53"]
        client:
          server: ws://127.0.0.1:8080/sudp
          tunnels:
            - name: dns
              listen: 127.0.0.1:5353
              destination: 127.0.0.1:53
        """);
    SudpConfig config =
        SudpConfig.load(
            file,
            Map.of(
                "SUDP_SERVER_LISTEN", "0.0.0.0:9090",
                "SUDP_SERVER_ALLOW", "10.0.0.0/8:53, 192.0.2.1:123",
                "SUDP_SERVER_IDLE_TIMEOUT", "30s",
                "SUDP_CLIENT_TUNNELS_0_DESTINATION", "192.0.2.53:53"));

    assertThat(config.server().listen()).isEqualTo(new HostPort("0.0.0.0", 9090));
    assertThat(config.server().allow())
        .extracting(Object::toString)
        .containsExactly("10.0.0.0/8:53", "192.0.2.1:123");
    assertThat(config.server().idleTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.client().tunnels().get(0).destination().toString())
        .isEqualTo("192.0.2.53:53");
  }

  @Test
  void camelStylePlaceholdersTakeTheEnvironmentOrTheirDefault() throws Exception {
    Path file =
        Configs.write(
            dir,
            "placeholders.yaml",
            """
        server:
          listen: "{{env:BIND:127.0.0.1}}:{{env:PORT}}"
          allow: ["{{env:DNS}}:53"]
          idle-timeout: "{{env:IDLE:90s}}"
        """);

    SudpConfig config =
        SudpConfig.load(
            file, Map.of("PORT", "8443", "DNS", "192.0.2.53", "SUDP_SERVER_IDLE_TIMEOUT", "30s"));
    assertThat(config.server().listen()).isEqualTo(new HostPort("127.0.0.1", 8443));
    assertThat(config.server().allow())
        .extracting(Object::toString)
        .containsExactly("192.0.2.53:53");
    assertThat(config.server().idleTimeout())
        .as("SUDP_* wins over the file")
        .isEqualTo(Duration.ofSeconds(30));

    assertThatThrownBy(() -> SudpConfig.load(file, Map.of("DNS", "192.0.2.53")))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .first()
                    .isEqualTo(
                        file
                            + ":2: server.listen: environment variable PORT is not set (write"
                            + " {{env:PORT:DEFAULT}} for a default)"));
  }

  @Test
  void aClientAddressFromProxiesNeedsTheProxiesAndTheProxiesASource() throws Exception {
    Map<String, String> problemOf =
        Map.of(
            "client-address: x-real-ip",
            ":3: server.client-address: 'x-real-ip' is not one of peer, x-forwarded-for,"
                + " forwarded, proxy-protocol",
            "client-address: forwarded",
            ":3: server.client-address: 'forwarded' needs trusted-proxies: the addresses of the"
                + " proxies whose word is taken",
            "trusted-proxies: [10.0.0.0/8]",
            ":3: server.trusted-proxies: used only with client-address x-forwarded-for, forwarded"
                + " or proxy-protocol",
            "client-address: proxy-protocol\n  trusted-proxies: [10.0.0.0/33, nginx.internal]",
            ":4: server.trusted-proxies: '10.0.0.0/33': prefix length must be 0..32",
            "client-address: proxy-protocol\n  trusted-proxies: [nginx.internal]",
            ":4: server.trusted-proxies: 'nginx.internal' is not an IP address or a CIDR block"
                + " (e.g. 10.0.0.0/8)");
    Path file = dir.resolve("proxies.yaml");
    for (Map.Entry<String, String> keys : problemOf.entrySet()) {
      assertThat(
              Configs.problems(
                  dir, "proxies.yaml", "server:\n  listen: 127.0.0.1:0\n  " + keys.getKey() + "\n"))
          .as(keys.getKey())
          .containsExactly(file + keys.getValue());
    }
  }

  @Test
  void aBadValueFromTheEnvironmentNamesTheVariable() throws Exception {
    Path file = Configs.write(dir, "env.yaml", "server:\n  listen: 127.0.0.1:8080\n");

    assertThat(Configs.problems(file, Map.of("SUDP_SERVER_KEEPALIVE", "often")))
        .containsExactly(
            file
                + " (SUDP_SERVER_KEEPALIVE): server.keepalive: 'often' is not a duration in"
                + " 100ms..1h (e.g. 500ms, 30s, 2m, 1h)");
  }

  @Test
  void yamlSyntaxErrorsAreOneLineWithTheirLine() throws Exception {
    Path broken = dir.resolve("broken.yaml");
    assertThat(
            Configs.problems(
                dir, "broken.yaml", "server:\n  listen: [127.0.0.1:0\n  path: /sudp\n"))
        .containsExactly(
            broken
                + ":3: not valid YAML: expected ',' or ']', but got :"
                + " (while parsing a flow sequence at line 2)");
    Path twice = dir.resolve("twice.yaml");
    assertThat(
            Configs.problems(
                dir, "twice.yaml", "echo:\n  listen: 127.0.0.1:7\n  listen: 127.0.0.1:8\n"))
        .containsExactly(
            twice
                + ":3: not valid YAML: found duplicate key listen"
                + " (while constructing a mapping at line 2)");

    Path instances = Files.createDirectories(dir.resolve("instances.d"));
    Files.writeString(instances.resolve("dns.yaml"), "listen: 127.0.0.1:0\ndestination: [x\n");
    assertThat(
            Configs.problems(
                dir,
                "client.yaml",
                """
        client:
          server: ws://127.0.0.1:1/sudp
          instances-dir: instances.d
        """))
        .containsExactly(
            instances.resolve("dns.yaml")
                + ":3: not valid YAML: expected ',' or"
                + " ']', but got <stream end> (while parsing a flow sequence at line 2)");
  }

  @Test
  void aFileThatIsNotUtf8NamesTheLineAndTheByte() throws Exception {
    Path file =
        Files.write(
            dir.resolve("latin1.yaml"),
            "server:\n  listen: 127.0.0.1:0\n  path: /s\u00e9\n"
                .getBytes(StandardCharsets.ISO_8859_1));

    assertThatThrownBy(() -> SudpConfig.load(file, Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        file
                            + ":3: not UTF-8 text (byte 0xE9 at column 11; save the file as"
                            + " UTF-8)"));
  }

  @Test
  void aFileThatCannotBeReadSaysWhy() {
    assertThatThrownBy(() -> SudpConfig.load(dir.resolve("missing.yaml"), Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(dir.resolve("missing.yaml") + ": cannot read: no such file"));
    assertThatThrownBy(() -> SudpConfig.load(dir, Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> assertThat(e.problems()).containsExactly(dir + ": cannot read: is a directory"));
    // Tests may run as root, who reads any file: the reason for a refusal is checked on its own.
    assertThat(ConfigFile.reason(new AccessDeniedException("sudp.yaml")))
        .isEqualTo("permission denied");
  }

  @Test
  void anEmptyFileHasNothingToRun() {
    assertThatThrownBy(() -> Configs.load(dir, "empty.yaml", "{}\n"))
        .hasMessageEndingWith("no server, client or echo section: nothing to run");
  }

  @Test
  void instanceNameLoggingDaemonAndManagementAreChecked() throws Exception {
    Path file = dir.resolve("ops.yaml");
    assertThat(
            Configs.problems(
                dir,
                "ops.yaml",
                """
        name: my instance
        logging:
          level: chatty
          file: no-such-dir/sudp.log
          max-files: 50
        daemon:
          pid-file: /tmp
        management:
          listen: 127.0.0.1:9464
          jolokia: public
        echo:
          listen: 127.0.0.1:0
        """))
        .containsExactly(
            file
                + ":1: name: 'my instance' must be 1-64 letters, digits, '.', '_' or '-'"
                + " (it names the PID and log files)",
            file + ":3: logging.level: 'chatty' is not one of error, warn, info, debug, trace",
            file
                + ":4: logging.file: 'no-such-dir/sudp.log': directory "
                + dir.resolve("no-such-dir")
                + " does not exist",
            file + ":5: logging.max-files: '50' is not a whole number in 1..20",
            file + ":7: daemon.pid-file: '/tmp' cannot be written",
            file + ":10: management.jolokia: 'public' is not one of local, remote, off");
  }

  @Test
  void instancesAreNamedAfterTheirFileAndKeepTheirFilesApart() throws Exception {
    SudpConfig dns = Configs.load(dir, "dns-tunnel.yaml", "echo:\n  listen: 127.0.0.1:0\n");
    SudpConfig named = Configs.load(dir, "other.yml", "name: sip\necho:\n  listen: 127.0.0.1:0\n");

    assertThat(dns.name()).isEqualTo("dns-tunnel");
    assertThat(named.name()).isEqualTo("sip");
    assertThat(dns.daemon().pidFile().getFileName()).hasToString("dns-tunnel.pid");
    assertThat(named.daemon().pidFile()).isNotEqualTo(dns.daemon().pidFile());
    assertThat(named.daemon().logFile().getFileName()).hasToString("sip.log");
    assertThat(named.daemon().consoleFile().getFileName()).hasToString("sip.out");
  }
}
