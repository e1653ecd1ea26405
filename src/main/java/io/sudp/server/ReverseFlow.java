package io.sudp.server;

import io.sudp.ops.DropCause;
import io.sudp.protocol.FlowSequence;
import io.sudp.protocol.OutboundData;
import io.sudp.transport.PeerConnection;
import java.net.InetSocketAddress;

/**
 * One sender at a reverse listener, carried to the client as a reverse flow (server-assigned id).
 * Its datagrams go to the client numbered by {@code toClient}; the client's replies, numbered by
 * the client, go back to the sender from the listener's port. A flow the client refused stays, its
 * slots given back, so that its sender's datagrams are dropped until it idles out instead of
 * opening a new flow each. Only the session's event loop touches it.
 */
final class ReverseFlow {
  private final int id;
  private final ReverseListener listener;
  private final InetSocketAddress sender;
  private final FlowSequence toClient = new FlowSequence();
  private final ClientSequence fromClient;
  private long lastActiveNanos = System.nanoTime();
  private DropCause refused;

  ReverseFlow(int id, ReverseListener listener, InetSocketAddress sender, PeerConnection via) {
    this.id = id;
    this.listener = listener;
    this.sender = sender;
    this.fromClient = new ClientSequence(0, via);
  }

  int id() {
    return id;
  }

  ReverseListener listener() {
    return listener;
  }

  InetSocketAddress sender() {
    return sender;
  }

  /** A datagram from the sender, to be numbered as it is written to the WebSocket. */
  OutboundData toClient(byte[] payload) {
    lastActiveNanos = System.nanoTime();
    return new OutboundData(id, toClient, payload);
  }

  /** Reads the sequence number of a reply from the client, as {@link ClientSequence} says. */
  long observe(int seq, PeerConnection via, long allowance) {
    lastActiveNanos = System.nanoTime();
    return fromClient.observe(seq, via, allowance);
  }

  /** Why the client refused the flow, or null while it carries it. */
  DropCause refused() {
    return refused;
  }

  void refuse(DropCause cause) {
    refused = cause;
  }

  long idleNanos(long now) {
    return now - lastActiveNanos;
  }

  @Override
  public String toString() {
    return "reverse flow " + Integer.toUnsignedString(id) + " from " + sender;
  }
}
