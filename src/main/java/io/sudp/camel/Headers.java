package io.sudp.camel;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.sudp.transport.PeerConnection;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.component.netty.NettyConstants;

/**
 * What SUDP's steps read from an exchange, and the header names that carry it: the core methods
 * they call take these as plain arguments.
 */
final class Headers {
  /**
   * The {@code PeerConnection} a message came from or goes to; set by the {@code sudp:} consumer.
   */
  static final String PEER = "SudpPeer";

  private Headers() {}

  /** The WebSocket connection the exchange's message came from or goes to. */
  static PeerConnection peer(Exchange exchange) {
    return exchange.getMessage().getHeader(PEER, PeerConnection.class);
  }

  /** The UDP socket a {@code netty:udp} listener's burst arrived on (camel-netty's header). */
  static Channel listener(Exchange exchange) {
    return exchange
        .getMessage()
        .getHeader(NettyConstants.NETTY_CHANNEL_HANDLER_CONTEXT, ChannelHandlerContext.class)
        .channel();
  }

  /**
   * The body as the list a step before made: {@code List<ReceivedDatagram>} from a listener, {@code
   * List<Frame>} from {@link FrameDecoding}.
   */
  @SuppressWarnings("unchecked")
  static <T> List<T> list(Exchange exchange) {
    return exchange.getMessage().getBody(List.class);
  }
}
