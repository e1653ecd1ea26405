package io.sudp.transport;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Runs a start action on an event loop context of its own: a verticle's, the one public way Vert.x
 * makes a new one. Each verticle gets the next of the event loops in turn, so listeners and clients
 * deployed this way spread over them; what the action creates (servers, clients, timers) belongs to
 * the verticle and closes when it is undeployed.
 */
final class EventLoopVerticle extends AbstractVerticle {
  private final Handler<Promise<Void>> start;

  private EventLoopVerticle(Handler<Promise<Void>> start) {
    this.start = start;
  }

  /**
   * Deploys {@code start} on a new event loop context; the future completes with the deployment's
   * id once {@code start} completed its promise, or fails with what it failed with.
   */
  static Future<String> deploy(Vertx vertx, Handler<Promise<Void>> start) {
    return vertx.deployVerticle(new EventLoopVerticle(start));
  }

  @Override
  public void start(Promise<Void> started) {
    start.handle(started);
  }
}
