package io.sudp.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.util.ReferenceCountUtil;
import io.sudp.ops.ProtocolViolation;

/**
 * Sits between the WebSocket frame decoder and Vert.x on one server connection and answers for what
 * a peer can make the connection hold or do before a message reaches the route:
 *
 * <ul>
 *   <li>Pings are answered with at most one pong waiting to be sent: a peer that pings without
 *       reading gets no more answers, instead of a pong queued per ping without bound.
 *   <li>A message fragmented over several frames is counted as it arrives and refused with 1009
 *       once it outgrows the limit (the layer above would drop it silently and carry on). Until its
 *       last frame, what the layer above holds of it (twice its size: the layer above grows its
 *       buffer by doubling) is taken from the server's budget for unfinished messages; where that
 *       has nothing left, the connection is closed (1013): a thousand connections each holding 128
 *       KiB of an unfinished message filled a 128 MB heap. That budget is its own, so peers that
 *       fill it take nothing from the queues of others.
 *   <li>A framing violation found by the decoder (unmasked frame, reserved bits or opcode, control
 *       frame too long, a frame over the limit) closes the connection with its close code after the
 *       close frame went out, instead of a reset.
 *   <li>Text messages are refused at their first frame (1003): the protocol is binary only.
 * </ul>
 *
 * <p>After a violation nothing but close frames is passed on.
 */
final class WebSocketGuard extends ChannelInboundHandlerAdapter {
  /** Told of what the guard refuses, on the connection's event loop. */
  interface Listener {
    void violated(ProtocolViolation violation, String detail);

    /** An unfinished message found no room in the memory budget. */
    void outOfMemory();
  }

  private final int maxMessage;
  private final QueueBudget budget;
  private final Listener listener;
  private boolean pongPending;
  private long messageBytes;
  private long heldBytes;
  private boolean violated;

  private WebSocketGuard(int maxMessage, QueueBudget budget, Listener listener) {
    this.maxMessage = maxMessage;
    this.budget = budget;
    this.listener = listener;
  }

  /** Puts a guard right after the frame decoder of an upgraded connection's {@code channel}. */
  static void install(Channel channel, int maxMessage, QueueBudget budget, Listener listener) {
    ChannelPipeline pipeline = channel.pipeline();
    ChannelHandlerContext decoder = pipeline.context(WebSocketFrameDecoder.class);
    if (decoder == null) {
      throw new IllegalStateException("no WebSocket frame decoder in " + pipeline.names());
    }
    pipeline.addAfter(
        decoder.name(), "sudp-guard", new WebSocketGuard(maxMessage, budget, listener));
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object message) {
    if (!(message instanceof WebSocketFrame frame) || message instanceof CloseWebSocketFrame) {
      ctx.fireChannelRead(message);
    } else if (violated) {
      ReferenceCountUtil.release(message);
    } else if (frame instanceof PingWebSocketFrame) {
      answer(ctx, frame);
    } else if (frame instanceof PongWebSocketFrame) {
      ctx.fireChannelRead(message);
    } else if (frame instanceof TextWebSocketFrame) {
      frame.release();
      violation(ProtocolViolation.TEXT_MESSAGE, "a text message");
    } else {
      measure(ctx, frame);
    }
  }

  private void answer(ChannelHandlerContext ctx, WebSocketFrame ping) {
    if (pongPending) {
      ping.release();
      return;
    }
    pongPending = true;
    // From the pipeline's tail: the frame encoder may sit after this handler.
    ctx.channel()
        .writeAndFlush(new PongWebSocketFrame(ping.content()))
        .addListener(written -> pongPending = false);
  }

  /** A binary frame or a continuation: passed on while its message stays within the limit. */
  private void measure(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (!(frame instanceof ContinuationWebSocketFrame)) {
      messageBytes = 0;
    }
    messageBytes += frame.content().readableBytes();
    if (messageBytes > maxMessage) {
      frame.release();
      violation(
          ProtocolViolation.OVERSIZED_MESSAGE,
          "a fragmented message over " + maxMessage + " bytes");
      return;
    }
    if (frame.isFinalFragment()) {
      messageBytes = 0;
      giveBack(); // the message is whole: the layer above hands it on and lets it go
    } else if (budget.tryTake(2L * frame.content().readableBytes())) {
      heldBytes += 2L * frame.content().readableBytes();
    } else {
      frame.release();
      violated = true;
      listener.outOfMemory();
      return;
    }
    ctx.fireChannelRead(frame);
  }

  private void giveBack() {
    budget.release(heldBytes);
    heldBytes = 0;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    giveBack();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof CorruptedWebSocketFrameException corrupted) {
      violation(
          corrupted.closeStatus() == WebSocketCloseStatus.MESSAGE_TOO_BIG
              ? ProtocolViolation.OVERSIZED_MESSAGE
              : ProtocolViolation.WEBSOCKET,
          String.valueOf(corrupted.getMessage()));
    } else if (cause instanceof TooLongFrameException) {
      violation(ProtocolViolation.OVERSIZED_MESSAGE, String.valueOf(cause.getMessage()));
    } else {
      ctx.fireExceptionCaught(cause);
    }
  }

  private void violation(ProtocolViolation violation, String detail) {
    if (!violated) {
      violated = true;
      listener.violated(violation, detail);
    }
  }
}
