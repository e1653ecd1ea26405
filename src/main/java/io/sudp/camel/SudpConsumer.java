package io.sudp.camel;

import io.sudp.transport.FeedSink;
import io.sudp.transport.PeerConnection;
import io.sudp.transport.RouteFeed;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

/**
 * Feeds a {@link RouteFeed}'s messages into the route, one exchange each, on the event loop that
 * produced them: no thread hop, and the messages of one connection keep their order.
 */
final class SudpConsumer extends DefaultConsumer implements FeedSink {
  private final RouteFeed feed;

  SudpConsumer(SudpEndpoint endpoint, Processor processor, RouteFeed feed) {
    super(endpoint, processor);
    this.feed = feed;
  }

  @Override
  protected void doStart() throws Exception {
    super.doStart();
    feed.open(this);
  }

  @Override
  protected void doStop() throws Exception {
    feed.close();
    super.doStop();
  }

  @Override
  public void deliver(Object body, PeerConnection peer) {
    Exchange exchange = createExchange(false);
    exchange.getMessage().setBody(body);
    if (peer != null) {
      exchange.getMessage().setHeader(Headers.PEER, peer);
    }
    getAsyncProcessor()
        .process(
            exchange,
            doneSync -> {
              if (exchange.getException() != null) {
                getExceptionHandler()
                    .handleException("sudp route failed", exchange, exchange.getException());
              }
              releaseExchange(exchange, false);
            });
  }
}
