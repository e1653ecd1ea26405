package io.sudp.transport;

import io.netty.channel.EventLoopGroup;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.TimeUnit;

/**
 * The one Vert.x instance of a process. Its event loops also run the UDP sockets (camel-netty's
 * {@code workerGroup} and the server's per-flow sockets), so a datagram stays on one thread from
 * socket to WebSocket wherever the two share a loop.
 */
public final class SharedVertx implements AutoCloseable {
  private final Vertx vertx;
  private final int eventLoops;

  public SharedVertx(int eventLoops) {
    this.eventLoops = eventLoops;
    this.vertx =
        Vertx.vertx(
            new VertxOptions()
                .setEventLoopPoolSize(eventLoops)
                .setWorkerPoolSize(2)
                .setPreferNativeTransport(true) // epoll where the platform has it, else NIO
                .setBlockedThreadCheckInterval(10)
                .setBlockedThreadCheckIntervalUnit(TimeUnit.SECONDS));
    // Vert.x 4.5.22 cancels a WebSocket handshake's timeout only if its timer id is above 0, and
    // an instance's first timer has id 0: had the first handshake's timer been that one, it would
    // fire after the upgrade and close a working connection (Vert.x issue 5578). Id 0 is used up.
    vertx.cancelTimer(vertx.setTimer(Long.MAX_VALUE / 2, id -> {}));
  }

  public int eventLoops() {
    return eventLoops;
  }

  /**
   * Whether the event loops are epoll loops: channels on them must then be epoll channels too
   * (camel-netty's {@code nativeTransport=true}).
   */
  public boolean nativeTransport() {
    return vertx.isNativeTransportEnabled();
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The event loops as a Netty group, for {@code netty:udp?workerGroup=#...}. */
  public EventLoopGroup eventLoopGroup() {
    return vertx.nettyEventLoopGroup();
  }

  @Override
  public void close() {
    vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
  }
}
