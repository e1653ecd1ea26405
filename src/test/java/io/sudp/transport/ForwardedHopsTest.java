package io.sudp.transport;

import static io.sudp.transport.ClientAddressSource.FORWARDED;
import static io.sudp.transport.ClientAddressSource.X_FORWARDED_FOR;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.NetUtil;
import io.sudp.transport.ForwardedHops.Found;
import io.sudp.transport.ForwardedHops.Problem;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The client a trusted proxy's header names, against what clients put in it themselves: only the
 * right-most entries are proxies' words, so the right-most address that is not a trusted proxy
 * wins; anything else that is not an address where the walk needs one names nobody.
 */
class ForwardedHopsTest {
  private static final TrustedProxies TRUSTED =
      TrustedProxies.parse(List.of("127.0.0.1", "10.0.0.0/8", "fd00::/8"));

  private static String client(ClientAddressSource header, String... lines) {
    Found found = ForwardedHops.client(header, List.of(lines), TRUSTED::trusts);
    return found.problem() != null
        ? found.problem().name()
        : NetUtil.toAddressString(found.address()) + (found.port() > 0 ? " " + found.port() : "");
  }

  @Test
  void theRightMostAddressThatIsNoTrustedProxyIsTheClient() {
    assertThat(client(X_FORWARDED_FOR, "203.0.113.7")).isEqualTo("203.0.113.7");
    assertThat(client(X_FORWARDED_FOR, "203.0.113.7, 10.0.0.2,10.1.1.1"))
        .as("behind a chain of trusted proxies")
        .isEqualTo("203.0.113.7");
    assertThat(client(X_FORWARDED_FOR, "198.51.100.1", "203.0.113.7"))
        .as("the last of several header lines")
        .isEqualTo("203.0.113.7");
    assertThat(client(X_FORWARDED_FOR, "10.0.0.5, 10.0.0.2"))
        .as("every address a trusted proxy: the first is the client")
        .isEqualTo("10.0.0.5");
  }

  @Test
  void whatAClientWritesLeftOfItsOwnAddressIsNeverBelieved() {
    assertThat(client(X_FORWARDED_FOR, "127.0.0.1, 198.51.100.9, 203.0.113.7"))
        .isEqualTo("203.0.113.7");
    assertThat(client(X_FORWARDED_FOR, "<script>, not an address,,, 203.0.113.7"))
        .as("garbage left of it is not even read")
        .isEqualTo("203.0.113.7");
    assertThat(client(FORWARDED, "for=198.51.100.9, for=203.0.113.7;proto=https"))
        .isEqualTo("203.0.113.7");
  }

  @Test
  void addressesAreReadInEveryUsualSpellingAndKeyedInOne() {
    assertThat(client(X_FORWARDED_FOR, "2001:DB8:0:0::7")).isEqualTo("2001:db8::7");
    assertThat(client(X_FORWARDED_FOR, "[2001:db8::7]:4711")).isEqualTo("2001:db8::7 4711");
    assertThat(client(X_FORWARDED_FOR, "203.0.113.7:4711")).isEqualTo("203.0.113.7 4711");
    assertThat(client(X_FORWARDED_FOR, "::ffff:203.0.113.7"))
        .as("IPv4-mapped: the IPv4 address")
        .isEqualTo("203.0.113.7");
    assertThat(client(X_FORWARDED_FOR, "203.0.113.7, fd00::1")).isEqualTo("203.0.113.7");
    assertThat(client(FORWARDED, "For=\"[2001:db8:cafe::17]:4711\""))
        .isEqualTo("2001:db8:cafe::17 4711");
    assertThat(client(FORWARDED, "for=192.0.2.60 ; proto=http;by=203.0.113.43"))
        .isEqualTo("192.0.2.60");
    assertThat(client(FORWARDED, "for=\"192.0.2.60:_hidden\""))
        .as("obfuscated port")
        .isEqualTo("192.0.2.60");
  }

  @Test
  void anEntryThatIsNoAddressWhereTheWalkNeedsOneNamesNobody() {
    for (String xff :
        List.of(
            "203.0.113.7, garbage",
            "unknown",
            "localhost",
            "fe80::1%eth0",
            "203.0.113.7:99999",
            "[203.0.113.7]",
            "203.0.113.7 10.0.0.1",
            "1" + "0".repeat(100))) {
      assertThat(client(X_FORWARDED_FOR, xff)).as(xff).isEqualTo("MALFORMED");
    }
    for (String forwarded :
        List.of(
            "for=_gazonk",
            "for=unknown",
            "for=[2001:db8::1]",
            "for=\"203.0.113.7",
            "for=\"1.2.3.4,5.6.7.8\"",
            "proto=https",
            "for=203.0.113.7;for=198.51.100.1",
            "for=203.0.113.7 garbage",
            "=203.0.113.7",
            "for=203.0.113.7, for=\"x\" \"")) {
      assertThat(client(FORWARDED, forwarded)).as(forwarded).isEqualTo("MALFORMED");
    }
  }

  @Test
  void noHeaderOrAnEmptyOneNamesNobody() {
    assertThat(client(X_FORWARDED_FOR)).isEqualTo("MISSING");
    assertThat(client(X_FORWARDED_FOR, "")).isEqualTo("MISSING");
    assertThat(client(X_FORWARDED_FOR, " , ,")).isEqualTo("MISSING");
    assertThat(client(FORWARDED, ",")).isEqualTo("MISSING");
  }

  @Test
  void hugeHeadersAndEndlessChainsAreBounded() {
    String huge = "198.51.100.1, ".repeat(1_000) + "203.0.113.7";
    assertThat(huge.length()).isGreaterThan(ForwardedHops.MAX_CHARS);
    assertThat(client(X_FORWARDED_FOR, huge)).isEqualTo("TOO_LONG");
    assertThat(client(FORWARDED, "for=" + huge)).isEqualTo("TOO_LONG");
    assertThat(
            client(
                X_FORWARDED_FOR,
                String.join(",", Collections.nCopies(ForwardedHops.MAX_HOPS, "10.0.0.1"))))
        .as("as many trusted proxies as allowed")
        .isEqualTo("10.0.0.1");
    assertThat(
            client(
                X_FORWARDED_FOR,
                String.join(",", Collections.nCopies(ForwardedHops.MAX_HOPS + 1, "10.0.0.1"))))
        .isEqualTo(Problem.TOO_MANY_HOPS.name());
    assertThat(
            client(
                FORWARDED,
                String.join(",", Collections.nCopies(ForwardedHops.MAX_HOPS + 1, "for=10.0.0.1"))))
        .isEqualTo(Problem.TOO_MANY_HOPS.name());
    assertThat(client(X_FORWARDED_FOR, ",".repeat(ForwardedHops.MAX_CHARS - 10)))
        .as("empty entries cost no hop, and end")
        .isEqualTo("MISSING");
  }
}
