package io.sudp.runtime;

import io.sudp.camel.ClientTunnelStep;
import io.sudp.client.ClientTunnel;
import io.sudp.routes.RouteNames;
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
 * template itself (a template-local bean): nothing needs to be in the registry for a {@code
 * templatedRoute} to work but the context's client, which SUDP provides. When the route starts, the
 * step joins that client with the route's template parameters — checked as the keys of a {@code
 * client.tunnels} entry are, unknown ones refused, its server's connection made if it is the first
 * to use it. A route stopped ends its flows (their replies went to the listening socket, which is
 * gone) and stays a tunnel of the client, shown as stopped, until it starts again; a route removed
 * leaves the client.
 */
public final class TunnelRouteStep extends ServiceSupport
    implements Processor, CamelContextAware, RouteIdAware {
  private CamelContext camelContext;
  private String routeId;
  private ClientAssembly client;
  private ClientTunnel tunnel;
  private volatile ClientTunnelStep step;

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
    if (tunnel != null) {
      return; // a stopped route started again: the same tunnel
    }
    Map<String, String> declared = TemplateParameters.of(camelContext, routeId);
    if (declared.getOrDefault("name", "").isEmpty()) {
      declared.put("name", routeId);
    }
    client =
        CamelContextHelper.mandatoryLookup(camelContext, RouteNames.CLIENT, ClientAssembly.class);
    tunnel = client.attach(routeId, declared);
    step = new ClientTunnelStep(tunnel);
  }

  @Override
  protected void doStop() {
    if (tunnel != null) {
      tunnel.closeFlows();
    }
  }

  @Override
  public void process(Exchange exchange) {
    step.process(exchange);
  }

  @Override
  protected void doShutdown() {
    if (tunnel != null) {
      client.detach(tunnel.name(), routeId);
      tunnel = null;
      step = null;
    }
  }
}
