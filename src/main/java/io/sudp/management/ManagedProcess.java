package io.sudp.management;

import io.vertx.core.json.JsonObject;

/** What the management port reports about the running process. */
public interface ManagedProcess {
  /** Ready to carry traffic: the server listens and the client is connected to its server. */
  boolean ready();

  /** One line per running part: connections, flows, traffic and drops. */
  String status();

  /** Everything {@code sudp status} shows, by part. */
  JsonObject statusJson();
}
