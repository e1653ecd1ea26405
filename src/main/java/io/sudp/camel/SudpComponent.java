package io.sudp.camel;

import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code sudp:} component. {@code sudp:NAME} names a tunnel part in the registry: as a consumer
 * it feeds the part's messages (WebSocket messages, or replies from per-flow UDP sockets) into the
 * route; as a producer it sends the exchange's frame over the part's WebSocket connection.
 */
@Component("sudp")
public final class SudpComponent extends DefaultComponent {
  @Override
  protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
    return new SudpEndpoint(uri, this, remaining);
  }
}
