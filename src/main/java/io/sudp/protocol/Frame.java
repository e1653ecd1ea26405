package io.sudp.protocol;

import io.netty.buffer.ByteBuf;

/**
 * One frame of wire protocol version 1. A WebSocket binary message carries one or more frames
 * back to back; every frame starts with its type byte and the flow id it belongs to.
 */
public sealed interface Frame permits DataFrame, OpenFrame, CloseFrame {
  /** The flow this frame belongs to; never 0. */
  int flowId();

  /** Exactly how many bytes {@link #encodeTo} writes. */
  int encodedLength();

  /** Appends the frame's wire form to {@code out}. */
  void encodeTo(ByteBuf out);
}
