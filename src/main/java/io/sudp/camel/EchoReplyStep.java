package io.sudp.camel;

import io.sudp.echo.EchoReply;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** The step of the echo route: the burst goes back from the listener ({@link EchoReply#echo}). */
public final class EchoReplyStep implements Processor {
  private final EchoReply echo = new EchoReply();

  @Override
  public void process(Exchange exchange) {
    echo.echo(Headers.list(exchange), Headers.listener(exchange));
  }
}
