package io.sudp.camel;

import io.sudp.client.ClientTunnel;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The step of a tunnel's route ({@code sudp-client-<tunnel>}) after its listener: the burst of
 * datagrams becomes the list of their frames ({@link ClientTunnel#frame}).
 */
public final class ClientTunnelStep implements Processor {
  private final ClientTunnel tunnel;

  public ClientTunnelStep(ClientTunnel tunnel) {
    this.tunnel = tunnel;
  }

  @Override
  public void process(Exchange exchange) {
    exchange.getMessage().setBody(tunnel.frame(Headers.list(exchange), Headers.listener(exchange)));
  }
}
