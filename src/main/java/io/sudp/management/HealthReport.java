package io.sudp.management;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.apache.camel.health.HealthCheck;

/**
 * Camel's health-check results as {@code /health/live} and {@code /health/ready} answer them: UP
 * (200) only when every check is UP, else DOWN (503), with each check's id, state, message, error
 * and details, so that an orchestrator, an operator and Hawtio read the same verdict.
 */
record HealthReport(boolean up, JsonObject json) {

  /**
   * @param processUp what the process says beside the checks (false: DOWN whatever they say)
   */
  static HealthReport of(boolean processUp, Collection<HealthCheck.Result> results) {
    boolean up = processUp;
    JsonArray checks = new JsonArray();
    for (HealthCheck.Result result : results) {
      up &= result.getState() == HealthCheck.State.UP;
      JsonObject check =
          new JsonObject()
              .put("id", result.getCheck().getId())
              .put("state", result.getState().name());
      result.getMessage().ifPresent(message -> check.put("message", message));
      result.getError().ifPresent(error -> check.put("error", error.toString()));
      Map<String, Object> details = new TreeMap<>();
      result.getDetails().forEach((key, value) -> details.put(key, String.valueOf(value)));
      check.put("details", new JsonObject(details));
      checks.add(check);
    }
    return new HealthReport(
        up, new JsonObject().put("state", up ? "UP" : "DOWN").put("checks", checks));
  }

  int statusCode() {
    return up ? 200 : 503;
  }
}
