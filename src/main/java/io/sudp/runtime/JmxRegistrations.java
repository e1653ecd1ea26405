package io.sudp.runtime;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The project's MBeans of one instance, under the {@code io.sudp} domain next to Camel's route
 * MBeans, registered while it runs and removed when it stops.
 */
final class JmxRegistrations implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JmxRegistrations.class);

  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
  private final List<ObjectName> registered = new ArrayList<>();
  private final String instance;

  JmxRegistrations(String instance) {
    this.instance = instance;
  }

  /** Registers {@code bean} as {@code io.sudp:type=TYPE,name=INSTANCE}; a clash is only logged. */
  void register(String type, Object bean) {
    try {
      ObjectName name =
          new ObjectName(
              "io.sudp",
              new java.util.Hashtable<>(java.util.Map.of("type", type, "name", instance)));
      server.registerMBean(bean, name);
      registered.add(name);
    } catch (JMException e) {
      LOG.warn("MBean {} for instance '{}' not registered: {}", type, instance, e.toString());
    }
  }

  @Override
  public void close() {
    for (ObjectName name : registered) {
      try {
        server.unregisterMBean(name);
      } catch (JMException e) {
        LOG.debug("MBean {} already gone: {}", name, e.toString());
      }
    }
    registered.clear();
  }
}
