package io.sudp.destination;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AllowRuleTest {
  private static final OwnAddresses NO_OWN_ADDRESSES = new OwnAddresses(Set::of);

  /** A Teredo address of server 65.54.227.120 and client 127.0.0.1 (stored inverted). */
  private static final String TEREDO_TO_LOOPBACK = "2001:0:4136:e378:8000:63bf:80ff:fffe";

  private static boolean permits(String rule, String host, String address, int port)
      throws Exception {
    return permits(List.of(rule), host, address, port);
  }

  private static boolean permits(List<String> rules, String host, String address, int port)
      throws Exception {
    return new DestinationPolicy(rules.stream().map(AllowRule::parse).toList(), NO_OWN_ADDRESSES)
        .permits(host, InetAddress.getByName(address), port);
  }

  @Test
  void matchesBlocksAndPortRanges() throws Exception {
    assertThat(permits("10.0.0.0/8:53", "10.1.2.3", "10.1.2.3", 53)).isTrue();
    assertThat(permits("11.0.0.0/8:53", "12.1.2.3", "12.1.2.3", 53)).isFalse();
    assertThat(permits("10.0.0.0/8:53", "10.1.2.3", "10.1.2.3", 54)).isFalse();
    assertThat(permits("192.0.2.0/25:7000-7100", "x", "192.0.2.127", 7100)).isTrue();
    assertThat(permits("192.0.2.0/25:7000-7100", "x", "192.0.2.128", 7100)).isFalse();
    assertThat(permits("127.0.0.1:*", "x", "127.0.0.1", 1)).isTrue();
    assertThat(permits("[::1]:53", "x", "::1", 53)).isTrue();
    assertThat(permits("[2001:db8::/32]:53", "x", "2001:db8:1::5", 53)).isTrue();
    assertThat(permits("[2001:db8::/32]:53", "x", "192.0.2.1", 53)).isFalse();
  }

  @Test
  void hostNameRulesMatchTheNameAsked() throws Exception {
    assertThat(permits("dns.example:53", "DNS.example", "8.8.8.8", 53)).isTrue();
    assertThat(permits("dns.example:53", "other.example", "8.8.8.8", 53)).isFalse();
  }

  @Test
  void specialAddressesNeedARuleThatNamesTheirRange() throws Exception {
    assertThat(permits("0.0.0.0/0:53", "x", "8.8.8.8", 53)).isTrue();
    for (String special :
        new String[] {
          "127.0.0.1",
          "10.1.2.3",
          "172.16.5.4",
          "192.168.1.1",
          "169.254.169.254",
          "100.64.0.1",
          "0.0.0.0",
          "224.0.0.1",
          "::1",
          "fe80::1",
          "fd00::1",
          "::ffff:127.0.0.1",
          "::ffff:10.0.0.1"
        }) {
      assertThat(permits("0.0.0.0/0:*", "x", special, 53)).as(special).isFalse();
      assertThat(permits("[::/0]:*", "x", special, 53)).as(special).isFalse();
    }
    assertThat(permits("dns.example:53", "dns.example", "10.0.0.5", 53))
        .as("a name that resolves to a private address")
        .isFalse();
    assertThat(permits("127.0.0.1:7", "x", "127.0.0.1", 7)).isTrue();
    assertThat(permits("10.0.0.0/8:53", "x", "10.9.9.9", 53)).isTrue();
    assertThat(permits("10.1.0.0/16:53", "x", "10.1.2.3", 53)).isTrue();
    assertThat(permits("8.0.0.0/6:53", "x", "10.1.2.3", 53)).as("wider than 10/8").isFalse();
    assertThat(permits("127.0.0.1:7", "x", "::ffff:127.0.0.1", 7)).isTrue();
  }

  @Test
  void ipv6FormsThatCarryIpv4AreJudgedAsTheIpv4Address() throws Exception {
    Map<String, List<String>> rulesNamingTheCarriedBlock =
        Map.of(
            "64:ff9b::7f00:1",
            List.of("127.0.0.0/8:*"),
            "64:ff9b::a00:5",
            List.of("10.0.0.5:53"),
            "64:ff9b:1::a00:5",
            List.of("10.0.0.0/8:53"),
            "2002:7f00:1::1",
            List.of("127.0.0.1:53"),
            "::7f00:1",
            List.of("127.0.0.0/8:*"),
            "::ffff:0:7f00:1",
            List.of("127.0.0.0/8:*"),
            TEREDO_TO_LOOPBACK,
            List.of("127.0.0.0/8:*", "0.0.0.0/0:53"));
    for (Map.Entry<String, List<String>> each : rulesNamingTheCarriedBlock.entrySet()) {
      String address = each.getKey();
      assertThat(permits("0.0.0.0/0:*", "x", address, 53)).as(address).isFalse();
      assertThat(permits("[::/0]:*", "x", address, 53)).as(address).isFalse();
      assertThat(permits(each.getValue(), "x", address, 53)).as(address).isTrue();
    }
    assertThat(permits("0.0.0.0/0:53", "x", "64:ff9b::808:808", 53)).isTrue();
    assertThat(permits("8.8.8.8:53", "x", "2002:808:808::1", 53)).isTrue();
    assertThat(permits("[64:ff9b::/96]:53", "x", "64:ff9b::808:808", 53))
        .as("an IPv6 rule for a NAT64 block: its destinations are IPv4")
        .isFalse();
  }

  @Test
  void teredoIsJudgedAsItsServerToo() throws Exception {
    String viaPrivateServer = "2001:0:a00:1::f7f7:f7f7"; // server 10.0.0.1, client 8.8.8.8
    assertThat(permits("0.0.0.0/0:*", "x", viaPrivateServer, 53)).isFalse();
    assertThat(permits(List.of("10.0.0.1:*", "0.0.0.0/0:*"), "x", viaPrivateServer, 53)).isTrue();
  }

  @Test
  void unspecifiedAndLoopbackIpv6StayIpv6() throws Exception {
    assertThat(permits("0.0.0.0/8:*", "x", "::1", 53)).isFalse();
    assertThat(permits("0.0.0.0/8:*", "x", "::", 53)).isFalse();
    assertThat(permits("[::/0]:*", "x", "::", 53)).isFalse();
  }

  @Test
  void nothingIsAllowedByDefault() throws Exception {
    assertThat(
            new DestinationPolicy(List.of(), NO_OWN_ADDRESSES)
                .permits("127.0.0.1", InetAddress.getLoopbackAddress(), 7))
        .isFalse();
  }
}
