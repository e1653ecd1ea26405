package io.sudp.client;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One local sender of one tunnel: the application socket that replies go back to, and the
 * listening channel they go back from.
 */
final class ClientFlow {
  private final int id;
  private final ClientTunnel tunnel;
  private final InetSocketAddress sender;
  private final Channel listener;
  private final AtomicInteger nextSeq = new AtomicInteger();
  private volatile long lastActiveNanos = System.nanoTime();
  private volatile boolean refused;

  ClientFlow(int id, ClientTunnel tunnel, InetSocketAddress sender, Channel listener) {
    this.id = id;
    this.tunnel = tunnel;
    this.sender = sender;
    this.listener = listener;
  }

  int id() {
    return id;
  }

  ClientTunnel tunnel() {
    return tunnel;
  }

  InetSocketAddress sender() {
    return sender;
  }

  Channel listener() {
    return listener;
  }

  int nextSeq() {
    return nextSeq.getAndIncrement();
  }

  void touch() {
    lastActiveNanos = System.nanoTime();
  }

  long idleNanos(long now) {
    return now - lastActiveNanos;
  }

  /** The server refused the destination; datagrams of this flow are dropped here until it expires. */
  boolean refused() {
    return refused;
  }

  void refuse() {
    refused = true;
  }
}
