package io.sudp.runtime;

import io.sudp.process.LogSetup;

/** The instance over JMX: its status, and the debug switch. */
final class InstanceControl implements InstanceControlMBean {
  private final String name;
  private final TunnelRuntime runtime;

  InstanceControl(String name, TunnelRuntime runtime) {
    this.name = name;
    this.runtime = runtime;
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public String getStatus() {
    return runtime.status();
  }

  @Override
  public boolean isReady() {
    return runtime.ready();
  }

  @Override
  public long getUptimeSeconds() {
    return runtime.uptimeSeconds();
  }

  @Override
  public boolean isDebug() {
    return LogSetup.isDebug();
  }

  @Override
  public void setDebug(boolean on) {
    LogSetup.setDebug(on);
  }
}
