package io.sudp.camel;

import io.sudp.client.ReplyDelivery;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The last step of a client connection's return route ({@code sudp-client-downstream}): the
 * message's frames go to {@link ReplyDelivery#deliver}.
 */
public final class ReplyDeliveryStep implements Processor {
  private final ReplyDelivery delivery;

  public ReplyDeliveryStep(ReplyDelivery delivery) {
    this.delivery = delivery;
  }

  @Override
  public void process(Exchange exchange) {
    delivery.deliver(Headers.list(exchange), Headers.peer(exchange));
  }
}
