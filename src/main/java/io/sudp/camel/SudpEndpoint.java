package io.sudp.camel;

import io.sudp.transport.FrameSender;
import io.sudp.transport.RouteFeed;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.CamelContextHelper;
import org.apache.camel.support.DefaultEndpoint;

/** Binds a route to the tunnel part registered under {@code name}. */
@UriEndpoint(
    firstVersion = "0.1.0",
    scheme = "sudp",
    title = "SUDP tunnel part",
    syntax = "sudp:name",
    category = {org.apache.camel.Category.NETWORKING})
public final class SudpEndpoint extends DefaultEndpoint {
  @UriPath(description = "Registry name of the WebSocket server, client or flow table")
  private final String name;

  SudpEndpoint(String uri, SudpComponent component, String name) {
    super(uri, component);
    this.name = name;
  }

  @Override
  public Producer createProducer() {
    return new SudpProducer(this, part(FrameSender.class));
  }

  @Override
  public Consumer createConsumer(Processor processor) throws Exception {
    SudpConsumer consumer = new SudpConsumer(this, processor, part(RouteFeed.class));
    configureConsumer(consumer);
    return consumer;
  }

  private <T> T part(Class<T> type) {
    Object bean = CamelContextHelper.mandatoryLookup(getCamelContext(), name);
    if (!type.isInstance(bean)) {
      throw new IllegalArgumentException(
          "sudp:"
              + name
              + " names a "
              + bean.getClass().getSimpleName()
              + ", not a "
              + type.getSimpleName());
    }
    return type.cast(bean);
  }
}
