package io.sudp.management;

import java.util.Set;
import javax.management.ObjectName;
import org.jolokia.server.core.service.api.Restrictor;
import org.jolokia.server.core.util.HttpMethod;
import org.jolokia.server.core.util.RequestType;

/**
 * What Jolokia may do on the management port. Anything may be read, but for the JVM's diagnostic
 * commands (which include loading an agent); an operation may run, or an attribute be written, only
 * on the MBeans of the JMX domains the configuration names ({@code io.sudp}, {@code
 * org.apache.camel}), and only when the policy is not read-only: never the JVM's own (a heap dump
 * to a path of the caller's choosing, logging switched, an agent loaded). No cross-origin answers.
 */
final class JolokiaPolicy implements Restrictor {
  private static final Set<RequestType> READING =
      Set.of(RequestType.READ, RequestType.LIST, RequestType.SEARCH, RequestType.VERSION);

  private final Set<String> changeableDomains;

  /**
   * @param changeableDomains JMX domains whose operations and attributes may be used; empty for a
   *     read-only policy
   */
  JolokiaPolicy(Set<String> changeableDomains) {
    this.changeableDomains = Set.copyOf(changeableDomains);
  }

  @Override
  public boolean isHttpMethodAllowed(HttpMethod method) {
    return method == HttpMethod.GET || method == HttpMethod.POST;
  }

  @Override
  public boolean isTypeAllowed(RequestType type) {
    return READING.contains(type)
        || (!changeableDomains.isEmpty()
            && (type == RequestType.EXEC || type == RequestType.WRITE));
  }

  @Override
  public boolean isAttributeReadAllowed(ObjectName name, String attribute) {
    return !isObjectNameHidden(name);
  }

  @Override
  public boolean isAttributeWriteAllowed(ObjectName name, String attribute) {
    return changeableDomains.contains(name.getDomain());
  }

  @Override
  public boolean isOperationAllowed(ObjectName name, String operation) {
    return changeableDomains.contains(name.getDomain());
  }

  @Override
  public boolean isRemoteAccessAllowed(String... hostOrAddress) {
    return true; // the management port decides who reaches it
  }

  @Override
  public boolean isOriginAllowed(String origin, boolean onlyWhenStrictCheckingIsEnabled) {
    return false;
  }

  @Override
  public boolean isObjectNameHidden(ObjectName name) {
    return "com.sun.management".equals(name.getDomain())
        && "DiagnosticCommand".equals(name.getKeyProperty("type"));
  }
}
