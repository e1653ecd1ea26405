package io.sudp.protocol;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Numbers the datagrams of one flow in one direction as they are written to the WebSocket, so the
 * receiver can count exactly those lost between the two ends; datagrams dropped before writing
 * (queue full, expired) take no number and are counted where they were dropped.
 */
public final class FlowSequence {
  private final AtomicInteger next = new AtomicInteger();

  /** The number for the datagram being written now. */
  int take() {
    return next.getAndIncrement();
  }

  /** The number the next datagram will get. */
  int peek() {
    return next.get();
  }
}
