package io.sudp.runtime;

/** JMX view of a running instance ({@code io.sudp:type=Instance,name=NAME}). */
public interface InstanceControlMBean {
  String getName();

  /** One line: connections, flows, traffic and drops of each part. */
  String getStatus();

  /** Ready to carry traffic: the server listens, the client is connected. */
  boolean isReady();

  long getUptimeSeconds();

  /** Debug logging: flow events and bounded datagram dumps. */
  boolean isDebug();

  void setDebug(boolean on);
}
