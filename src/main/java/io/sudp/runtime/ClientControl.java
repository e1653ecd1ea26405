package io.sudp.runtime;

import org.apache.camel.CamelContext;

/** The client's connection, tunnels and flows over JMX. */
final class ClientControl implements ClientControlMBean {
  private final ClientAssembly client;
  private final CamelContext context;

  ClientControl(ClientAssembly client, CamelContext context) {
    this.client = client;
    this.context = context;
  }

  @Override
  public String getServer() {
    return client.serverUrl();
  }

  @Override
  public boolean isConnected() {
    return client.connected();
  }

  @Override
  public String getLastError() {
    return client.socket().lastError();
  }

  @Override
  public long getKeepaliveRttMicros() {
    return client.socket().keepaliveRttMicros();
  }

  @Override
  public int getQueueDepth() {
    return client.queueDepth();
  }

  @Override
  public int getFlowCount() {
    return client.flowCount();
  }

  @Override
  public String[] getFlows() {
    return client.describeFlows().toArray(String[]::new);
  }

  @Override
  public String[] getTunnels() {
    return client.status().tunnelLines().toArray(String[]::new);
  }

  @Override
  public boolean closeFlow(int flowId) {
    return client.closeFlow(flowId);
  }

  @Override
  public void reconnect() {
    client.reconnect();
  }

  @Override
  public void stopTunnel(String name) throws Exception {
    context.getRouteController().stopRoute(routeOf(name));
  }

  @Override
  public void startTunnel(String name) throws Exception {
    context.getRouteController().startRoute(routeOf(name));
  }

  /** The route carrying the tunnel named {@code name}, whoever declared it. */
  private String routeOf(String name) {
    RunningTunnel tunnel = client.running(name);
    if (tunnel == null) {
      throw new IllegalArgumentException("no tunnel named '" + name + "'");
    }
    return tunnel.routeId();
  }
}
