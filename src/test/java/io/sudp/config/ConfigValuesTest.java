package io.sudp.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sudp.destination.AllowRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A loaded configuration is a value: the same file loaded twice is equal, which is how a reload
 * tells what changed, and nothing in it can be changed afterwards.
 */
class ConfigValuesTest {
  private static final String SERVER =
      """
      server:
        listen: 127.0.0.1:0
        allow: ["192.0.2.53:53"]
        dns-servers: ["192.0.2.1:53"]
        auth: {tokens-file: tokens}
        users:
          alice: {allow: ["192.0.2.54:53"], max-flows: 2, max-datagrams-per-second: 10}
      management:
        listen: 127.0.0.1:0
        hosts: [ops.example]
      client:
        server: ws://127.0.0.1:1/sudp
        tunnels:
          - {name: dns, listen: "127.0.0.1:0", destination: "192.0.2.53:53"}
      """;

  @TempDir Path dir;

  private SudpConfig load(String yaml) throws Exception {
    Files.writeString(dir.resolve("tokens"), "");
    return SudpConfig.load(Files.writeString(dir.resolve("sudp.yaml"), yaml), Map.of());
  }

  @Test
  void theSameFileLoadedTwiceIsEqual() throws Exception {
    assertThat(load(SERVER)).isEqualTo(load(SERVER));
  }

  @Test
  void aChangedUserLimitIsAChangedServer() throws Exception {
    SudpConfig before = load(SERVER);
    SudpConfig after = load(SERVER.replace("max-flows: 2", "max-flows: 3"));
    assertThat(after.server()).isNotEqualTo(before.server());
    assertThat(after.client()).isEqualTo(before.client());
  }

  @Test
  void nothingLoadedCanBeChanged() throws Exception {
    SudpConfig config = load(SERVER);
    AllowRule rule = AllowRule.parse("198.51.100.1:53");
    assertThatThrownBy(() -> config.server().allow().add(rule))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> config.server().users().get("alice").allow().add(rule))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> config.server().users().remove("alice"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> config.server().dnsServers().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> config.management().hosts().add("evil.example"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> config.client().tunnels().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
