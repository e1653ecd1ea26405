package io.sudp.runtime;

import io.sudp.transport.PeerConnection;
import java.util.Optional;

/** The server's clients and flows over JMX. */
final class ServerControl implements ServerControlMBean {
  private final ServerAssembly server;

  ServerControl(ServerAssembly server) {
    this.server = server;
  }

  @Override
  public int getConnectionCount() {
    return server.socket().connections().size();
  }

  @Override
  public int getFlowCount() {
    return server.nat().flowCount();
  }

  @Override
  public String[] getConnections() {
    return server.socket().connections().stream()
        .map(peer -> peer.id() + ": " + peer + ", " + server.nat().flowCount(peer) + " flows")
        .toArray(String[]::new);
  }

  @Override
  public String[] flowsOf(long connectionId) {
    return connection(connectionId)
        .map(peer -> server.nat().describeFlows(peer))
        .orElseThrow(() -> noSuchConnection(connectionId))
        .toArray(String[]::new);
  }

  @Override
  public boolean closeFlow(long connectionId, int flowId) {
    return connection(connectionId)
        .map(peer -> server.nat().closeFlow(peer, flowId))
        .orElseThrow(() -> noSuchConnection(connectionId));
  }

  @Override
  public boolean disconnect(long connectionId) {
    return server.socket().disconnect(connectionId);
  }

  private Optional<PeerConnection> connection(long id) {
    return server.socket().connections().stream().filter(peer -> peer.id() == id).findFirst();
  }

  private static IllegalArgumentException noSuchConnection(long id) {
    return new IllegalArgumentException("no connection " + id + " (see Connections)");
  }
}
