package io.sudp.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;

/** What a Camel application's own health-check registry says of SUDP's readiness check. */
public final class Readiness {
  private Readiness() {}

  /** SUDP's check {@code sudp-tunnel} is in {@code context}'s registry and UP. */
  public static void assertTunnelUp(CamelContext context) {
    assertThat(HealthCheckHelper.invokeReadiness(context, "full"))
        .as("the tunnels' readiness check, in the application's own registry")
        .anySatisfy(
            result -> {
              assertThat(result.getCheck().getId()).isEqualTo("sudp-tunnel");
              assertThat(result.getState()).isEqualTo(HealthCheck.State.UP);
            });
  }
}
