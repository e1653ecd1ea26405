package io.sudp.runtime;

import io.sudp.camel.FrameDecoding;
import io.sudp.config.ServerConfig;
import io.sudp.ops.TrafficCounters;
import io.sudp.server.DestinationPolicy;
import io.sudp.server.ServerNat;
import io.sudp.transport.SharedVertx;
import io.sudp.transport.WsServer;
import org.apache.camel.main.Main;

/** The server's beans, named as {@code routes/server.camel.yaml} refers to them. */
public final class ServerAssembly {
  private final TrafficCounters counters = new TrafficCounters();
  private final WsServer socket;
  private final ServerNat nat;

  ServerAssembly(ServerConfig config, SharedVertx vertx, Main main) {
    socket = new WsServer(vertx.vertx(), vertx.eventLoops(), config.listen().host(),
        config.listen().port(), config.path(), config.queue(), config.keepalive(),
        config.resumeTimeout(), counters);
    nat = new ServerNat(vertx.vertx(), new DestinationPolicy(config.allow()),
        config.maxFlowsPerConnection(), config.idleTimeout().toNanos(), counters);
    socket.onSessionEnd(nat::sessionEnded);
    main.bind("sudpServerSocket", socket);
    main.bind("sudpServerFraming", new FrameDecoding(counters));
    main.bind("sudpServerNat", nat);
  }

  public TrafficCounters counters() {
    return counters;
  }

  public WsServer socket() {
    return socket;
  }

  public ServerNat nat() {
    return nat;
  }

  String status() {
    return "server: " + socket.connectionCount() + " connections, " + socket.sessionCount()
        + " sessions, " + nat.flowCount() + " flows, " + counters.summary();
  }
}
