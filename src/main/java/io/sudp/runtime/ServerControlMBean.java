package io.sudp.runtime;

/** JMX view of a tunnel server ({@code io.sudp:type=Server,name=NAME}): its clients and flows. */
public interface ServerControlMBean {
  int getConnectionCount();

  int getFlowCount();

  /** One line per client connection, starting with the id the operations take. */
  String[] getConnections();

  /** The flows of one connection's session: id, destination, seconds idle. */
  String[] flowsOf(long connectionId);

  /** Closes one flow of a connection and frees its UDP socket; the client is told. */
  boolean closeFlow(long connectionId, int flowId);

  /** Closes a client's connection (close code 1008); the client may reconnect and resume. */
  boolean disconnect(long connectionId);
}
