package io.sudp.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.sudp.testing.Configs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Route files among the instance files: their templated routes become tunnels carried by the routes
 * they name, and whatever is not a tunnel route is a problem with its file and line.
 */
class RouteFilesTest {
  @TempDir Path dir;

  private static final String CLIENT =
      "client:\n  server: ws://127.0.0.1:9/sudp\n  instances-dir: routes.d\n";

  private List<String> problems(String routeFile) throws Exception {
    Files.writeString(
        Files.createDirectories(dir.resolve("routes.d")).resolve("app.camel.yaml"), routeFile);
    return Configs.problems(dir, "client.yaml", CLIENT);
  }

  @Test
  void aTemplatedRouteIsATunnelCarriedByTheRouteItNames() throws Exception {
    Files.writeString(
        Files.createDirectories(dir.resolve("routes.d")).resolve("app.camel.yaml"),
        """
        - templatedRoute:
            routeTemplateRef: sudp-client-tunnel
            routeId: dns
            parameters:
              - {name: listen, value: "127.0.0.1:5353"}
              - {name: destination, value: "10.0.0.53:53"}
              - {name: idleTimeout, value: 45s}
              - {name: max-datagrams-per-second, value: 100}
        """);
    TunnelConfig tunnel = Configs.load(dir, "client.yaml", CLIENT).client().instances().get(0);

    assertThat(tunnel.name()).isEqualTo("dns");
    assertThat(tunnel.routeId()).isEqualTo("dns");
    assertThat(tunnel.listen()).hasToString("127.0.0.1:5353");
    assertThat(tunnel.idleTimeout()).hasSeconds(45);
    assertThat(tunnel.maxDatagramsPerSecond()).isEqualTo(100);
  }

  @Test
  void whatIsNoTunnelRouteIsAProblemAtItsLine() throws Exception {
    assertThat(
            problems(
                """
                - templatedRoute:
                    routeTemplateRef: some-other-template
                    routeId: sudp-client-x
                    beans: []
                    parameters:
                      - {name: listen, value: "127.0.0.1:5353"}
                      - {name: destination, value: "nowhere"}
                      - {name: colour, value: blue}
                - route:
                    from: {uri: "timer:x"}
                """))
        .allSatisfy(problem -> assertThat(problem).contains("app.camel.yaml:"))
        .anySatisfy(
            problem ->
                assertThat(problem)
                    .contains(
                        ":2: [0].templatedRoute.routeTemplateRef: 'some-other-template' is not sudp-client-tunnel"))
        .anySatisfy(
            problem ->
                assertThat(problem)
                    .contains(":3: [0].templatedRoute.routeId: 'sudp-client-x' is reserved"))
        .anySatisfy(
            problem -> assertThat(problem).contains(":4: [0].templatedRoute.beans: unknown key"))
        .anySatisfy(
            problem -> assertThat(problem).contains(":7: sudp-client-x.destination: 'nowhere'"))
        .anySatisfy(
            problem -> assertThat(problem).contains(":8: sudp-client-x.colour: unknown key"))
        .anySatisfy(
            problem ->
                assertThat(problem)
                    .contains(":9: [1]: an entry of a route file is a templatedRoute"));
  }

  @Test
  void aNameOrListenAddressTakenTwiceNamesWhereItWasFirstGiven() throws Exception {
    Path routes = Files.createDirectories(dir.resolve("routes.d"));
    String tunnel =
        """
        - templatedRoute:
            routeTemplateRef: sudp-client-tunnel
            routeId: dns
            parameters:
              - {name: listen, value: "127.0.0.1:5353"}
              - {name: destination, value: "10.0.0.53:53"}
        """;
    Files.writeString(routes.resolve("a.camel.yaml"), tunnel);
    Files.writeString(routes.resolve("b.camel.yaml"), tunnel);

    assertThat(Configs.problems(dir, "client.yaml", CLIENT))
        .containsExactly(
            routes.resolve("b.camel.yaml")
                + ":3: dns.name: 'dns' is used by another tunnel ("
                + routes.resolve("a.camel.yaml")
                + ":3)",
            routes.resolve("b.camel.yaml")
                + ":5: dns.listen: 127.0.0.1:5353 is already the listen address of tunnel 'dns' ("
                + routes.resolve("a.camel.yaml")
                + ":5)");
  }

  @Test
  void aRouteFileIsAList() throws Exception {
    assertThat(problems("templatedRoute: {}\n"))
        .containsExactly(
            dir.resolve("routes.d/app.camel.yaml")
                + ": a route file is a list of templatedRoute entries");
  }
}
