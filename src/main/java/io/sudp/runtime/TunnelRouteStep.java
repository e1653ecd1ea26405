package io.sudp.runtime;

import io.sudp.camel.ClientTunnelStep;
import io.sudp.routes.RouteNames;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.spi.RouteIdAware;
import org.apache.camel.support.CamelContextHelper;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The framing step of a route made from the {@code sudp-client-tunnel} template, built by the
 * template itself (a template-local bean) from its plain parameters: nothing needs to be in the
 * registry for a {@code templatedRoute} to work but the context's client, which SUDP provides. When
 * the route starts, the step joins that client — its parameters checked as a {@code client.tunnels}
 * entry is, its server's connection made if it is the first to use it — and when the route is
 * removed it leaves, ending its flows. A route only stopped keeps its flows.
 */
public final class TunnelRouteStep extends ServiceSupport
    implements Processor, CamelContextAware, RouteIdAware {
  private final Map<String, String> parameters = new LinkedHashMap<>();
  private CamelContext camelContext;
  private String routeId;
  private ClientAssembly client;
  private String name;
  private volatile ClientTunnelStep step;

  /** The tunnel's name; empty for the route's id. */
  public void setName(String name) {
    parameters.put("name", name);
  }

  public void setListen(String listen) {
    parameters.put("listen", listen);
  }

  public void setDestination(String destination) {
    parameters.put("destination", destination);
  }

  public void setIdleTimeout(String idleTimeout) {
    parameters.put("idle-timeout", idleTimeout);
  }

  public void setMaxDatagramsPerSecond(String maxDatagramsPerSecond) {
    parameters.put("max-datagrams-per-second", maxDatagramsPerSecond);
  }

  public void setReceiveBuffer(String receiveBuffer) {
    parameters.put("receive-buffer", receiveBuffer);
  }

  public void setServer(String server) {
    parameters.put("server", server);
  }

  public void setCredentials(String credentials) {
    parameters.put("credentials", credentials);
  }

  @Override
  public void setCamelContext(CamelContext camelContext) {
    this.camelContext = camelContext;
  }

  @Override
  public CamelContext getCamelContext() {
    return camelContext;
  }

  @Override
  public void setRouteId(String routeId) {
    this.routeId = routeId;
  }

  @Override
  public String getRouteId() {
    return routeId;
  }

  @Override
  protected void doStart() {
    if (step != null) {
      return; // a stopped route started again: the same tunnel, with its flows
    }
    Map<String, String> declared = new LinkedHashMap<>(parameters);
    String given = declared.get("name");
    if (given == null || given.isEmpty()) {
      declared.put("name", routeId);
    }
    client =
        CamelContextHelper.mandatoryLookup(camelContext, RouteNames.CLIENT, ClientAssembly.class);
    name = declared.get("name");
    step = new ClientTunnelStep(client.attach(routeId, declared));
  }

  @Override
  public void process(Exchange exchange) {
    step.process(exchange);
  }

  @Override
  protected void doShutdown() {
    if (step != null) {
      client.detach(name, routeId);
      step = null;
    }
  }
}
