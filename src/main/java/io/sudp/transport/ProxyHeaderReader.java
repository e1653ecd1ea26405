package io.sudp.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolException;
import java.net.InetAddress;

/**
 * Reads the PROXY protocol header (v1 or v2) a trusted proxy sends before anything else on a
 * connection, ahead of TLS and HTTP, and tells the {@link AcceptGate} which client it names.
 * Netty's decoder bounds the header (108 bytes for v1, {@value #MAX_TLV_BYTES} bytes of extensions
 * for v2) and closes a connection whose first bytes are no such header; the gate's handshake
 * timeout closes one that sends it too slowly. Both leave the pipeline once the header is read, and
 * what followed it goes on to TLS or HTTP.
 */
final class ProxyHeaderReader extends ChannelInboundHandlerAdapter {
  /** What a v2 header may carry besides the addresses: a load balancer's few small TLVs. */
  static final int MAX_TLV_BYTES = 4096;

  private final AcceptGate gate;

  private ProxyHeaderReader(AcceptGate gate) {
    this.gate = gate;
  }

  /** Makes {@code connection}, accepted and not registered yet, begin with a PROXY header. */
  static void install(Channel connection, AcceptGate gate) {
    connection
        .pipeline()
        .addFirst("sudp-proxy-client", new ProxyHeaderReader(gate))
        .addFirst("sudp-proxy-header", new HAProxyMessageDecoder(MAX_TLV_BYTES));
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object message) {
    if (!(message instanceof HAProxyMessage header)) {
      ctx.fireChannelRead(message);
      return;
    }
    try {
      ClientAddress peer = ClientAddress.of(ctx.channel());
      InetAddress source = source(header);
      gate.identified(
          ctx.channel(), source == null ? peer : peer.forwarded(source, header.sourcePort()));
    } finally {
      header.release();
      ctx.pipeline().remove(this);
    }
  }

  /**
   * The client a header names; null for a proxy's own connection (LOCAL, a health check) or a
   * source that is no IP address (UNKNOWN, a Unix socket): the proxy is the client then.
   */
  private static InetAddress source(HAProxyMessage header) {
    if (header.command() != HAProxyCommand.PROXY || header.sourceAddress() == null) {
      return null;
    }
    return switch (header.proxiedProtocol()) {
      case TCP4, TCP6, UDP4, UDP6 -> ClientAddress.ipLiteral(header.sourceAddress());
      default -> null;
    };
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof HAProxyProtocolException) {
      gate.noProxyHeader(ctx.channel()); // the decoder closed it already
      ctx.close();
      return;
    }
    ctx.fireExceptionCaught(cause);
  }
}
