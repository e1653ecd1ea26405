package io.sudp.management;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ManagementGateTest {
  private final ManagementGate gate =
      new ManagementGate(Set.of("Ops.Example"), Set.of("https://hawtio.example:8443"));

  @Test
  void toolsNamingThePortByAddressOrLocalhostGetIn() {
    assertThat(gate.refusal("127.0.0.1", null)).isNull();
    assertThat(gate.refusal("[::1]", null)).isNull();
    assertThat(gate.refusal("::1", null)).isNull();
    assertThat(gate.refusal("LOCALHOST", null)).isNull();
    assertThat(gate.refusal("ops.example", null)).as("a configured name").isNull();
  }

  @Test
  void aNameNotConfiguredIsRefused() {
    assertThat(gate.refusal("rebound.example", null)).startsWith("unknown Host 'rebound.example'");
    assertThat(gate.refusal(null, null)).startsWith("unknown Host");
  }

  @Test
  void pagesOfOtherOriginsAreRefused() {
    assertThat(gate.refusal("127.0.0.1", "http://evil.example"))
        .startsWith("requests from web pages are refused");
    assertThat(gate.refusal("127.0.0.1", "null")).isNotNull();
    assertThat(gate.refusal("127.0.0.1", "https://hawtio.example:8443")).isNull();
  }
}
