package io.sudp.runtime;

/**
 * JMX view of a tunnel client ({@code io.sudp:type=Client,name=NAME}): connection, tunnels, flows.
 */
public interface ClientControlMBean {
  String getServer();

  boolean isConnected();

  String getLastError();

  /** Round-trip time of the last WebSocket keepalive, or -1 before the first. */
  long getKeepaliveRttMicros();

  int getQueueDepth();

  int getFlowCount();

  /** One line per flow, starting with the id {@link #closeFlow} takes. */
  String[] getFlows();

  /** One line per tunnel: name, route state, listen address, destination. */
  String[] getTunnels();

  /** Ends one flow here and on the server. */
  boolean closeFlow(int flowId);

  /** Drops the connection and makes a new one at once; the session resumes, nothing is lost. */
  void reconnect();

  /** Stops a tunnel's route: its port closes, its flows idle out; the others carry on. */
  void stopTunnel(String name) throws Exception;

  void startTunnel(String name) throws Exception;
}
