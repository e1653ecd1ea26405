package io.sudp.bench;

import io.sudp.protocol.Destination;
import io.sudp.protocol.Limits;
import io.sudp.protocol.ProtocolVersion;
import io.sudp.testing.RealProcess;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Many {@link ProtocolClient}s on one Vert.x instance, and the loads the benchmark runs on them.
 */
final class ProtocolClients implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final WebSocketClient client =
      vertx.createWebSocketClient(
          new WebSocketClientOptions()
              .setMaxConnections(10_000)
              .setMaxFrameSize(Limits.MAX_MESSAGE)
              .setMaxMessageSize(Limits.MAX_MESSAGE));

  /** A new connection to the server on {@code port}; throws if it cannot connect. */
  ProtocolClient connect(int port) throws Exception {
    return new ProtocolClient(
        client
            .connect(
                new WebSocketConnectOptions()
                    .setHost("127.0.0.1")
                    .setPort(port)
                    .setURI("/sudp")
                    .setSubProtocols(List.of(ProtocolVersion.V1.subprotocol())))
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS));
  }

  /** The first connection to a server still starting: retried until it listens. */
  ProtocolClient connectOnceListening(int port, RealProcess server) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        return connect(port);
      } catch (ExecutionException refused) {
        if (!server.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException("the server did not listen: " + server.output(), refused);
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
      }
    }
  }

  /**
   * Spreads {@code flows} flows over {@code connections} evenly and waits until every flow's first
   * datagram has come back.
   */
  void openFlows(List<ProtocolClient> connections, InetSocketAddress destination, int flows) {
    Destination to = new Destination(destination.getHostString(), destination.getPort());
    for (int i = 0; i < connections.size(); i++) {
      connections.get(i).open(flowsOn(i, connections.size(), flows), to);
    }
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (connections.stream().mapToInt(ProtocolClient::opened).sum() < flows) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("flows not all open after 5 minutes");
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
  }

  private static int flowsOn(int connection, int connections, int flows) {
    return flows / connections + (connection < flows % connections ? 1 : 0);
  }

  /**
   * Round trips at {@code rate} per second for {@code seconds}, datagram k on flow k mod {@code
   * flows} (flows taken round robin over the connections, as {@link #openFlows} spread them);
   * sorted latencies of the datagrams that came back.
   */
  long[] pacedRoundTrips(List<ProtocolClient> connections, int flows, int rate, int seconds)
      throws Exception {
    PacedRoundTrips measurement = new PacedRoundTrips(rate * seconds);
    connections.forEach(connection -> connection.recordInto(measurement));
    try {
      return measurement.run(
          rate,
          seq -> {
            int flow = seq % flows;
            connections.get(flow % connections.size()).send(flow / connections.size() + 1, seq);
          });
    } finally {
      connections.forEach(connection -> connection.recordInto(null));
    }
  }

  @Override
  public void close() throws Exception {
    // A thousand connections closing on a busy machine take more than a few seconds.
    vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
