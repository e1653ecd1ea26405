package io.sudp.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.sudp.testing.Configs;
import io.sudp.testing.TestTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An option that is not documented does not exist: every key the code reads, from configurations
 * that use every section and every alternative, must be in docs/configuration.md under its full
 * path (the section its table belongs to), and every key documented there must be one the code
 * reads.
 */
class ReferenceDocsTest {
  /** A section heading of the reference: its tables document the keys of that section. */
  private static final Pattern SECTION = Pattern.compile("## `([a-z-]+)`");

  /** Tables of the items of a list, known by the line that introduces them. */
  private static final Map<String, String> LIST_ITEMS =
      Map.of("Each tunnel:", "tunnels[].", "Each reverse tunnel:", "reverse-tunnels[].");

  private static final Pattern CODE = Pattern.compile("`([^`]+)`");

  @TempDir static Path dir;

  private static Set<String> read;
  private static Set<String> documented;

  @BeforeAll
  static void readKeysAndReference() throws Exception {
    read = keysRead();
    documented = documentedKeys(Files.readString(Path.of("docs", "configuration.md")));
  }

  @Test
  void everyKeyTheCodeReadsIsDocumentedUnderItsFullPath() {
    Set<String> undocumented = new TreeSet<>();
    for (String key : read) {
      String asDocumented = key.replaceFirst("^client\\.credentials\\.NAME\\.", "client.auth.");
      if (!isSection(key, read) && !documented.contains(asDocumented)) {
        undocumented.add(key);
      }
    }
    assertThat(undocumented).isEmpty();
    assertThat(read).hasSizeGreaterThan(50);
  }

  @Test
  void everyKeyOfTheReferenceIsOneTheCodeReads() {
    Set<String> unread = new TreeSet<>(documented);
    unread.removeAll(read);
    assertThat(unread).as("documented, but no configuration reads them").isEmpty();
  }

  @Test
  void aKeyDocumentedUnderAnotherSectionIsNotDocumentedForItsOwn() {
    String reference =
        """
        ## `server`

        | key | default | meaning |
        |-----|---------|---------|
        | `listen` | required | where |

        ## `client`

        | key | default | meaning |
        |-----|---------|---------|
        | `queue.total-bytes`, `tls.ca` / `tls.insecure` | none | misplaced |

        Each tunnel:

        | key | meaning |
        |-----|---------|
        | `name` | unique |

        `client.tls` and `client.auth`:

        | key | meaning |
        |-----|---------|
        | `auth.username` | user |

        ## Drop causes

        | cause | where | meaning |
        |-------|-------|---------|
        | `expired` | client | late |
        """;

    assertThat(documentedKeys(reference))
        .containsExactlyInAnyOrder(
            "server.listen",
            "client.queue.total-bytes",
            "client.tls.ca",
            "client.tls.insecure",
            "client.tunnels[].name",
            "client.auth.username");
  }

  /**
   * The paths the code asks for, with list indexes as {@code []} and the names of users and
   * credentials (data, not keys) as {@code NAME}.
   */
  private static Set<String> keysRead() throws Exception {
    Path file = Files.writeString(dir.resolve("some.file"), "x\n");
    TestTls tls = TestTls.create(dir.resolve("tls"));
    Path keystore = tls.keystore("reference", false);
    Path keystorePassword = tls.secretFile("keystore.password", "changeit");
    Path instances = Files.createDirectories(dir.resolve("instances.d"));
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
          client-address: x-forwarded-for
          trusted-proxies: [127.0.0.1, "fd00::/8"]
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
                    max-datagrams-per-second: 1, max-bytes-per-second: 1,
                    reverse-ports: ["51820-51830"]}
          reverse: {bind: 0.0.0.0, ports: ["5353"]}
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
          proxy: http://carol@proxy.example.org:3128
          proxy-password-file: %1$s
          queue: {frames: 100, bytes: 200000, max-age: 1s}
          tunnels:
            - {name: dns, listen: "127.0.0.1:5353", destination: "192.0.2.1:53",
               server: "wss://other.example.org/sudp", credentials: other,
               receive-buffer: 1MiB, connection: bulk}
          reverse-allow: ["127.0.0.1:53"]
          reverse-max-flows: 100
          reverse-tunnels:
            - {name: dns-in, remote-listen: 5353, destination: "127.0.0.1:53", idle-timeout: 1m}
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
          proxy: carol@proxy.example.org:3128
          proxy-password-env: PW
          tunnels:
            - {name: dns, listen: "127.0.0.1:5353", destination: "192.0.2.1:53"}
        """,
          """
        server:
          listen: 0.0.0.0:8443
          tls: {keystore: %4$s, keystore-password-file: %5$s}
        client:
          server: wss://example.org/sudp
          auth: {username: bob, password-env: PW}
          instances-dir: %6$s
        """,
          """
        client:
          server: wss://example.org/sudp
          auth: {token-file: %1$s}
          tunnels:
            - {name: dns, listen: "127.0.0.1:5353", destination: "192.0.2.1:53",
               idle-timeout: 1m, max-datagrams-per-second: 10}
        """
        }) {
      SudpConfig.load(
          Configs.write(
              dir,
              "all.yaml",
              yaml.formatted(
                  file,
                  tls.serverCertificate(),
                  tls.serverKey(),
                  keystore,
                  keystorePassword,
                  instances)),
          Map.of("STORE_PW", "changeit", "TOKEN", "x", "PW", "x"),
          keys);
    }
    Set<String> normalized = new TreeSet<>();
    for (String key : keys) {
      normalized.add(
          key.replaceAll("\\[\\d+]", "[]")
              .replaceAll("\\.(users|credentials)\\.[^.]+", ".$1.NAME")); // names are data
    }
    return normalized;
  }

  /** Whether {@code key} holds other keys that are read, each documented on its own. */
  private static boolean isSection(String key, Set<String> read) {
    return read.stream()
        .anyMatch(other -> other.startsWith(key + ".") || other.startsWith(key + "["));
  }

  /**
   * The full paths of the keys that the reference's key tables document: a table under a section
   * heading ({@code ## `server`}) documents that section's keys, one that items of a list are
   * introduced with ({@link #LIST_ITEMS}) those of the list's items, and one under any other
   * heading keys written in full. A row may document several keys in its first cell.
   */
  private static Set<String> documentedKeys(String reference) {
    Set<String> keys = new TreeSet<>();
    String section = "";
    String items = "";
    String previous = "";
    boolean inKeyTable = false;
    for (String line : reference.lines().map(String::strip).toList()) {
      if (line.startsWith("## ")) {
        Matcher heading = SECTION.matcher(line);
        section = heading.matches() ? heading.group(1) + "." : "";
        items = "";
      } else if (line.startsWith("| key |") && line.endsWith("| meaning |")) {
        inKeyTable = true;
        items = LIST_ITEMS.getOrDefault(previous, "");
      } else if (!line.startsWith("|")) {
        inKeyTable = false;
      } else if (inKeyTable && !line.startsWith("|--")) {
        Matcher code = CODE.matcher(line.substring(1, line.indexOf('|', 1)));
        while (code.find()) {
          keys.add(section + items + code.group(1));
        }
      }
      if (!line.isEmpty()) {
        previous = line;
      }
    }
    return keys;
  }
}
