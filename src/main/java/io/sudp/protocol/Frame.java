package io.sudp.protocol;

import io.netty.buffer.ByteBuf;

/**
 * One frame of the wire protocol. A WebSocket binary message carries one or more frames back to
 * back; every frame starts with its type byte and the flow id it belongs to. Decoding yields {@link
 * DataFrame}, {@link OpenFrame}, {@link CloseFrame} and {@link SessionFrame}, and in version 2
 * {@link ListenFrame}, {@link ListenResultFrame}, {@link AcceptFrame} and {@link UnlistenFrame};
 * the {@code Outbound} kinds are what an end queues for writing, numbered as they are written.
 */
public sealed interface Frame
    permits DataFrame,
        OpenFrame,
        CloseFrame,
        SessionFrame,
        OutboundData,
        OutboundOpen,
        ListenFrame,
        ListenResultFrame,
        AcceptFrame,
        UnlistenFrame {
  /** The flow this frame belongs to; 0 only for a {@link SessionFrame}. */
  int flowId();

  /** Exactly how many bytes {@link #encodeTo} writes. */
  int encodedLength();

  /** Appends the frame's wire form to {@code out}. */
  void encodeTo(ByteBuf out);
}
