package io.sudp.camel;

import io.sudp.transport.FrameSender;
import io.sudp.transport.RouteFeed;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.CamelContextHelper;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Binds a route to the tunnel part registered under {@code name}. A producer on a client's {@link
 * ServerConnections} sends to the connection its {@code server}, {@code credentials} and {@code
 * connection} name.
 */
@UriEndpoint(
    firstVersion = "0.1.0",
    scheme = "sudp",
    title = "SUDP tunnel part",
    syntax = "sudp:name",
    category = {org.apache.camel.Category.NETWORKING})
public final class SudpEndpoint extends DefaultEndpoint {
  @UriPath(description = "Registry name of the WebSocket server, client or flow table")
  private final String name;

  @UriParam(description = "For a client's connections: the server URL; empty for the client's own")
  private String server = "";

  @UriParam(
      description = "For a client's connections: the credentials entry; empty for the client's own")
  private String credentials = "";

  @UriParam(
      description =
          "For a client's connections: a connection of its own to the server, shared only by the"
              + " tunnels that name it; empty for the server's shared connection")
  private String connection = "";

  SudpEndpoint(String uri, SudpComponent component, String name) {
    super(uri, component);
    this.name = name;
  }

  public String getServer() {
    return server;
  }

  public void setServer(String server) {
    this.server = server == null ? "" : server;
  }

  public String getCredentials() {
    return credentials;
  }

  public void setCredentials(String credentials) {
    this.credentials = credentials == null ? "" : credentials;
  }

  public String getConnection() {
    return connection;
  }

  public void setConnection(String connection) {
    this.connection = connection == null ? "" : connection;
  }

  @Override
  public Producer createProducer() {
    Object bean = CamelContextHelper.mandatoryLookup(getCamelContext(), name);
    FrameSender sender =
        bean instanceof ServerConnections connections
            ? connections.connection(server, credentials, connection)
            : part(FrameSender.class);
    return new SudpProducer(this, sender);
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
