package io.sudp.management;

import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import org.apache.camel.health.HealthCheck;

/** A process for the management port's tests: always ready, no checks, its status from the test. */
final class StubProcess implements ManagedProcess {
  private final Runnable healthAsked;
  private final Supplier<String> status;

  /**
   * @param healthAsked runs each time the health checks are asked for
   * @param status makes the status line
   */
  StubProcess(Runnable healthAsked, Supplier<String> status) {
    this.healthAsked = healthAsked;
    this.status = status;
  }

  @Override
  public boolean ready() {
    return true;
  }

  @Override
  public Collection<HealthCheck.Result> health(HealthCheck.Kind kind) {
    healthAsked.run();
    return List.of();
  }

  @Override
  public String status() {
    return status.get();
  }

  @Override
  public JsonObject statusJson() {
    return new JsonObject();
  }
}
