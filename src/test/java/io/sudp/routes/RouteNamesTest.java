package io.sudp.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.apache.camel.support.PatternHelper;
import org.junit.jupiter.api.Test;

/**
 * A tunnel name is refused exactly when its route id would be that of a connection's return route,
 * and the route filter that supervises tunnels tells the two kinds of route apart by the same rule.
 */
class RouteNamesTest {
  private static final List<String> NAMES =
      List.of(
          "downstream",
          "downstream-1",
          "downstream-2",
          "downstream-17",
          "downstream-0",
          "downstream-01",
          "downstream-dns",
          "downstreamer",
          "downstream_1",
          "Downstream",
          "DOWNSTREAM-1",
          "up-downstream",
          "tunnel",
          "connection",
          "dns");

  private static boolean takesAConnectionsRoute(String tunnel) {
    return IntStream.range(0, 1_000)
        .anyMatch(
            index -> RouteNames.tunnelRoute(tunnel).equals(RouteNames.connectionRoute(index)));
  }

  @Test
  void exactlyTheNamesThatTakeAConnectionsRouteAreReserved() {
    assertThat(NAMES)
        .filteredOn(name -> RouteNames.reservedTunnelName(name) != null)
        .containsExactly("downstream", "downstream-1", "downstream-2", "downstream-17")
        .allMatch(RouteNamesTest::takesAConnectionsRoute);
    assertThat(NAMES)
        .filteredOn(name -> RouteNames.reservedTunnelName(name) == null)
        .noneMatch(RouteNamesTest::takesAConnectionsRoute);
  }

  @Test
  void theReasonNamesTheRouteAndAWayOut() {
    assertThat(RouteNames.reservedTunnelName("downstream-1"))
        .startsWith("is reserved (")
        .contains("sudp-client-downstream-1", "'downstream-1-tunnel'");
    assertThat(RouteNames.reservedTunnelName("downstream-1-tunnel")).isNull();
  }

  /** Camel's route filters compare patterns ignoring case; only real connection routes match. */
  @Test
  void theSupervisedRoutesAreEveryTunnelsAndNoConnections() {
    for (String name : NAMES) {
      String route = RouteNames.tunnelRoute(name);
      assertThat(supervised(route)).as(route).isNotEqualTo(takesAConnectionsRoute(name));
      assertThat(supervised(name)).as("a route file's tunnel " + name).isTrue();
    }
    assertThat(supervised(RouteNames.SERVER_UPSTREAM_ROUTE)).isFalse();
    assertThat(supervised(RouteNames.SERVER_DOWNSTREAM_ROUTE)).isFalse();
    assertThat(supervised(RouteNames.ECHO_ROUTE)).isFalse();
    for (int index : new int[] {0, 1, 2, 10, 123}) {
      assertThat(
              PatternHelper.matchPattern(
                  RouteNames.connectionRoute(index), RouteNames.connectionRoutes()))
          .as(RouteNames.connectionRoute(index))
          .isTrue();
    }
  }

  /**
   * Whether the supervising route controller, excluding what SUDP excludes, retries {@code route}.
   */
  private static boolean supervised(String route) {
    return !PatternHelper.matchPatterns(route, RouteNames.unsupervisedRoutes().split(","));
  }
}
