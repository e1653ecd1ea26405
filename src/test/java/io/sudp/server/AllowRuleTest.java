package io.sudp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class AllowRuleTest {
  private static boolean permits(String rule, String host, String address, int port)
      throws Exception {
    return new DestinationPolicy(List.of(AllowRule.parse(rule)))
        .permits(host, InetAddress.getByName(address), port);
  }

  @Test
  void matchesBlocksAndPortRanges() throws Exception {
    assertThat(permits("10.0.0.0/8:53", "10.1.2.3", "10.1.2.3", 53)).isTrue();
    assertThat(permits("10.0.0.0/8:53", "11.1.2.3", "11.1.2.3", 53)).isFalse();
    assertThat(permits("10.0.0.0/8:53", "10.1.2.3", "10.1.2.3", 54)).isFalse();
    assertThat(permits("192.0.2.0/25:7000-7100", "x", "192.0.2.127", 7100)).isTrue();
    assertThat(permits("192.0.2.0/25:7000-7100", "x", "192.0.2.128", 7100)).isFalse();
    assertThat(permits("127.0.0.1:*", "x", "127.0.0.1", 1)).isTrue();
    assertThat(permits("0.0.0.0/0:*", "x", "::1", 1)).isFalse();
    assertThat(permits("[::1]:53", "x", "::1", 53)).isTrue();
    assertThat(permits("[2001:db8::/32]:53", "x", "2001:db8:1::5", 53)).isTrue();
  }

  @Test
  void hostNameRulesMatchTheNameAsked() throws Exception {
    assertThat(permits("dns.example:53", "DNS.example", "192.0.2.1", 53)).isTrue();
    assertThat(permits("dns.example:53", "other.example", "192.0.2.1", 53)).isFalse();
  }

  @Test
  void nothingIsAllowedByDefault() throws Exception {
    assertThat(new DestinationPolicy(List.of())
        .permits("127.0.0.1", InetAddress.getLoopbackAddress(), 7)).isFalse();
  }
}
