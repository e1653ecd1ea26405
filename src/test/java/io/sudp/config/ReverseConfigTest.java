package io.sudp.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.sudp.client.ReverseOffer;
import io.sudp.client.ReverseTunnel;
import io.sudp.protocol.Destination;
import io.sudp.server.PortRanges;
import io.sudp.testing.Configs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keys of reverse tunnels on both ends: read as values, and every mistake with its line. */
class ReverseConfigTest {
  @TempDir Path dir;

  @Test
  void readsBothEnds() throws Exception {
    SudpConfig config =
        Configs.load(
            dir,
            "reverse.yaml",
            """
            server:
              listen: 127.0.0.1:0
              auth: {tokens-file: %s}
              reverse: {bind: 0.0.0.0, ports: ["5353"]}
              users:
                home: {reverse-ports: ["51820-51830", 9]}
            client:
              server: ws://127.0.0.1:8080/sudp
              reverse-allow: ["192.168.1.10:51820", "127.0.0.1:53"]
              reverse-tunnels:
                - {name: wireguard, remote-listen: 51820, destination: "192.168.1.10:51820"}
                - {name: dns, remote-listen: "0.0.0.0:5353", destination: "127.0.0.1:53",
                   idle-timeout: 30s}
            """
                .formatted(Configs.write(dir, "tokens", "home home-token-0123456789\n")));

    assertThat(config.server().reverse().bind()).isEqualTo("0.0.0.0");
    assertThat(config.server().reverse().allows(null, 5353)).isTrue();
    assertThat(config.server().reverse().allows("home", 51825)).isTrue();
    assertThat(config.server().reverse().allows("home", 9)).isTrue();
    assertThat(config.server().reverse().allows("other", 51825)).isFalse();
    assertThat(config.server().reverse().users().get("home"))
        .isEqualTo(
            new PortRanges(
                List.of(new PortRanges.Range(51820, 51830), new PortRanges.Range(9, 9))));
    ReverseOffer offer = config.client().reverse();
    assertThat(offer.maxFlows()).isEqualTo(ReverseOffer.DEFAULT_MAX_FLOWS);
    assertThat(offer.tunnels())
        .containsExactly(
            new ReverseTunnel(
                "wireguard",
                null,
                51820,
                Destination.parse("192.168.1.10:51820"),
                Duration.ofSeconds(120)),
            new ReverseTunnel(
                "dns", "0.0.0.0", 5353, Destination.parse("127.0.0.1:53"), Duration.ofSeconds(30)));
  }

  @Test
  void aServerWithoutReverseKeysOffersNoReverseTunnel() throws Exception {
    SudpConfig config = Configs.load(dir, "plain.yaml", "server:\n  listen: 127.0.0.1:0\n");

    assertThat(config.server().reverse().offered()).isFalse();
    assertThat(config.server().reverse().bind()).isEqualTo("127.0.0.1");
  }

  @Test
  void everyMistakeIsReportedWithItsLine() throws Exception {
    Path file = dir.resolve("bad.yaml");
    assertThat(
            Configs.problems(
                dir,
                "bad.yaml",
                """
                server:
                  listen: 127.0.0.1:0
                  reverse:
                    bind: somewhere
                    ports: ["70000"]
                    port: 5
                client:
                  server: ws://127.0.0.1:8080/sudp
                  reverse-allow: ["127.0.0.1:53"]
                  reverse-max-flows: 0
                  reverse-tunnels:
                    - {name: dns, remote-listen: "localhost:53", destination: "127.0.0.1:53"}
                    - {name: dns, remote-listen: 53, destination: "127.0.0.1:54"}
                    - {name: "a b", remote-listen: 54}
                """))
        .containsExactlyInAnyOrder(
            file
                + ":4: server.reverse.bind: 'somewhere' is not an IP address (e.g. 0.0.0.0 or"
                + " 127.0.0.1)",
            file
                + ":5: server.reverse.ports: '70000' is not a port or a range of ports (1..65535,"
                + " e.g. 5353 or 51820-51830)",
            file + ":6: server.reverse.port: unknown key (did you mean 'ports'?)",
            file + ":10: client.reverse-max-flows: '0' is not a whole number in 1..1000000",
            file
                + ":12: client.reverse-tunnels[0].remote-listen: 'localhost' is not an IP address"
                + " (expected PORT or IP:PORT, e.g. 5353)",
            file
                + ":13: client.reverse-tunnels[1].name: 'dns' is used by another reverse tunnel ("
                + file
                + ":12)",
            file + ":14: client.reverse-tunnels[2].name: 'a b' must be letters, digits, - and _",
            file + ":14: client.reverse-tunnels[2].destination: is required",
            file
                + ":9: client.reverse-allow: does not allow 127.0.0.1:54, the destination of"
                + " reverse tunnel 'dns' (loopback and private ranges must be named, e.g."
                + " \"127.0.0.1:54\")");
  }
}
