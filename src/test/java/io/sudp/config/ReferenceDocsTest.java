package io.sudp.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.sudp.testing.Configs;
import io.sudp.testing.TestTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An option that is not documented does not exist: every key the code reads, from configurations
 * that use every section and every alternative, must appear in docs/configuration.md.
 */
class ReferenceDocsTest {
  @TempDir Path dir;

  @Test
  void everyKeyTheCodeReadsIsInTheReference() throws Exception {
    Path file = Files.writeString(dir.resolve("some.file"), "x\n");
    TestTls tls = TestTls.create(dir.resolve("tls"));
    Path keystore = tls.keystore("reference", false);
    Set<String> keys = new TreeSet<>();
    for (String yaml :
        new String[] {
          """
        name: everything
        logging: {level: debug, file: all.log, max-file-size: 1MiB, max-files: 3}
        daemon: {pid-file: all.pid, log-file: daemon.log}
        management: {listen: 127.0.0.1:9999, jolokia: off, jolokia-operations: [io.sudp],
                     hosts: [ops.example], origins: ["https://hawtio.example"],
                     auth: {htpasswd: %1$s, tokens-file: %1$s}}
        server:
          listen: 0.0.0.0:8443
          drain-timeout: 2s
          path: /sudp
          idle-timeout: 1m
          keepalive: 15s
          resume-timeout: 30s
          max-flows-per-connection: 10
          max-connections: 10
          max-handshakes: 10
          max-flows: 100
          max-resolving: 4
          resolve-timeout: 2s
          dns-servers: ["192.0.2.53:53"]
          handshake-timeout: 5s
          allow: ["192.0.2.1:53"]
          tls: {certificate: %2$s, key: %3$s, client-ca: %1$s}
          auth: {htpasswd: %1$s, tokens-file: %1$s}
          users:
            alice: {allow: ["192.0.2.2:53"], max-connections: 1, max-flows: 1,
                    max-datagrams-per-second: 1, max-bytes-per-second: 1}
          queue: {frames: 100, bytes: 200000, max-age: 1s, total-bytes: 16MiB}
        client:
          server: wss://example.org/sudp
          drain-timeout: 2s
          idle-timeout: 1m
          keepalive: 15s
          reconnect: {initial: 100ms, max: 1s, multiplier: 2}
          tls: {ca: %1$s, certificate: %1$s, key: %1$s, insecure: false}
          auth: {username: alice, password-file: %1$s}
          credentials:
            other: {token-file: %1$s}
          queue: {frames: 100, bytes: 200000, max-age: 1s}
          tunnels:
            - {name: dns, listen: "127.0.0.1:5353", destination: "192.0.2.1:53",
               server: "wss://other.example.org/sudp", credentials: other,
               receive-buffer: 1MiB}
        echo:
          listen: 127.0.0.1:7
        """,
          """
        server:
          listen: 0.0.0.0:8443
          tls: {keystore: %4$s, keystore-password-env: STORE_PW}
        client:
          server: wss://example.org/sudp
          auth: {token-env: TOKEN}
          tunnels:
            - {name: dns, listen: "127.0.0.1:5353", destination: "192.0.2.1:53"}
        """,
          """
        client:
          server: wss://example.org/sudp
          auth: {username: bob, password-env: PW}
          tunnels:
            - {name: dns, listen: "127.0.0.1:5353", destination: "192.0.2.1:53"}
        """,
          """
        client:
          server: wss://example.org/sudp
          auth: {token-file: %1$s}
          tunnels:
            - {name: dns, listen: "127.0.0.1:5353", destination: "192.0.2.1:53"}
        """
        }) {
      SudpConfig.load(
          Configs.write(
              dir,
              "all.yaml",
              yaml.formatted(file, tls.serverCertificate(), tls.serverKey(), keystore)),
          Map.of("STORE_PW", "changeit", "TOKEN", "x", "PW", "x"),
          keys);
    }
    String reference = Files.readString(Path.of("docs", "configuration.md"));
    Set<String> undocumented = new TreeSet<>();
    for (String read : keys) {
      String key = read.replaceAll("\\.(users|credentials)\\.[^.]+", ".$1.NAME"); // names are data
      if (key.endsWith(".NAME")) {
        continue;
      }
      String last = key.substring(Math.max(key.lastIndexOf('.'), key.lastIndexOf(']')) + 1);
      if (!reference.contains("`" + last + "`")
          && !reference.contains("." + last + "`")
          && !reference.contains("`" + last + ".")) {
        undocumented.add(key);
      }
    }
    assertThat(undocumented).isEmpty();
    assertThat(keys).hasSizeGreaterThan(50);
  }
}
