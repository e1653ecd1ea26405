package io.sudp.camel;

import io.sudp.server.ServerNat;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The last step of the server's upstream route: the frames of a client's message, with the
 * connection they came from, go to {@link ServerNat#apply}.
 */
public final class ServerNatStep implements Processor {
  private final ServerNat nat;

  public ServerNatStep(ServerNat nat) {
    this.nat = nat;
  }

  @Override
  public void process(Exchange exchange) {
    nat.apply(Headers.peer(exchange), Headers.list(exchange));
  }
}
