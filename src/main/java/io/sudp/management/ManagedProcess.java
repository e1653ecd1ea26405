package io.sudp.management;

import io.vertx.core.json.JsonObject;
import java.util.Collection;
import org.apache.camel.health.HealthCheck;

/** What the management port reports about the running process. */
public interface ManagedProcess {
  /** Ready to carry traffic: the server listens and the client is connected to its server. */
  boolean ready();

  /** The results of Camel's health checks of {@code kind}; none while Camel is not running. */
  Collection<HealthCheck.Result> health(HealthCheck.Kind kind);

  /** One line per running part: connections, flows, traffic and drops. */
  String status();

  /** Everything {@code sudp status} shows, by part. */
  JsonObject statusJson();
}
