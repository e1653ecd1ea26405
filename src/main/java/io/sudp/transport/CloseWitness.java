package io.sudp.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;

/**
 * Sees which end of a WebSocket connection sent the first close frame, and with which code and
 * reason. Vert.x keeps only the code of the close frame it received, which after a close this end
 * began is the peer's echo of it: both ends then blamed each other. Watching the frames themselves
 * also catches closes Vert.x makes on its own.
 */
final class CloseWitness extends ChannelDuplexHandler {
  /** Longest part of a peer's close reason that reaches a log line. */
  static final int MAX_REASON = 64;

  private volatile Seen first;

  /** The first close frame: who sent it, its code (-1: none) and its reason. */
  private record Seen(boolean here, int code, String reason) {}

  /** Puts a witness between Vert.x and the frame codec of an upgraded connection's channel. */
  static CloseWitness install(Channel channel) {
    CloseWitness witness = new CloseWitness();
    VertxChannels.addBeforeVertx(channel, "sudp-close-witness", witness);
    return witness;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object message) {
    if (message instanceof CloseWebSocketFrame close) {
      saw(false, close);
    }
    ctx.fireChannelRead(message);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) {
    if (message instanceof CloseWebSocketFrame close) {
      saw(true, close);
    }
    ctx.write(message, promise);
  }

  private void saw(boolean here, CloseWebSocketFrame close) {
    if (first == null) {
      String reason = close.content().readableBytes() > 2 ? printable(close.reasonText()) : "";
      first = new Seen(here, close.statusCode(), reason);
    }
  }

  /**
   * Who closed the connection and why, e.g. "closed by this server (1001 keepalive timeout)" or
   * "closed by the client (1000 client shutting down)"; "lost without a close frame" if neither end
   * sent one.
   *
   * @param self what this end is called ("server", "client")
   * @param peer what the other end is called
   */
  String describe(String self, String peer) {
    Seen seen = first;
    if (seen == null) {
      return "lost without a close frame";
    }
    String by = "closed by " + (seen.here() ? "this " + self : "the " + peer);
    if (seen.code() < 0) {
      return by + " without a close code";
    }
    return by + " (" + seen.code() + (seen.reason().isEmpty() ? "" : " " + seen.reason()) + ")";
  }

  /** Whether this end sent the first close frame. */
  boolean closedHere() {
    Seen seen = first;
    return seen != null && seen.here();
  }

  /** A peer's reason as it may enter a log line: printable ASCII, cut short. */
  static String printable(String reason) {
    StringBuilder out = new StringBuilder(Math.min(reason.length(), MAX_REASON));
    for (int i = 0; i < reason.length() && out.length() < MAX_REASON; i++) {
      char c = reason.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return out.toString();
  }
}
