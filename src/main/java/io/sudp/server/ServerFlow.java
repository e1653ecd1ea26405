package io.sudp.server;

import io.netty.channel.Channel;
import io.sudp.ops.DebugTrace;
import io.sudp.ops.Direction;
import io.sudp.ops.DropCause;
import io.sudp.protocol.DataFrame;
import io.sudp.protocol.Destination;
import io.sudp.protocol.FlowSequence;
import io.sudp.protocol.OutboundData;
import io.sudp.transport.PeerConnection;
import io.sudp.udp.DatagramOut;
import io.sudp.udp.ReceiveDrops;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * One flow on the server: a UDP socket of its own towards the destination, like one entry of a NAT
 * table; only datagrams from the destination's address and port are taken as replies. Datagrams
 * that arrive while the destination's name is being resolved wait in a short queue (a few datagrams
 * and bytes: a name that resolves slowly must not make the server hold more). Only the event loop
 * of the flow's session touches it.
 */
final class ServerFlow {
  /** Datagrams and bytes a flow holds while its destination is resolved; more are dropped. */
  static final int MAX_PENDING = 8;

  static final int MAX_PENDING_BYTES = 128 * 1024;

  private enum State {
    RESOLVING,
    OPEN,
    CLOSED
  }

  private final int id;
  private final Destination destination;
  private final ClientSession session;
  private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
  private int pendingBytes;
  private State state = State.RESOLVING;
  private DatagramOut out;
  private ReceiveDrops drops;
  private InetSocketAddress remote;
  private final FlowSequence downstream = new FlowSequence();
  private final ClientSequence upstream;
  private boolean lookingUp;
  private long lastActiveNanos = System.nanoTime();
  private boolean unflushed;

  ServerFlow(
      int id,
      Destination destination,
      int firstSeq,
      PeerConnection openedBy,
      ClientSession session) {
    this.id = id;
    this.destination = destination;
    this.session = session;
    this.upstream = new ClientSequence(firstSeq, openedBy);
    this.lookingUp = !destination.isAddressLiteral();
  }

  /** Ends the look-up of the destination's name; true only the first time, for a name. */
  boolean endLookup() {
    boolean was = lookingUp;
    lookingUp = false;
    return was;
  }

  int id() {
    return id;
  }

  Destination destination() {
    return destination;
  }

  /** True if {@code sender} is the destination: replies from anywhere else are not let in. */
  boolean isDestination(InetSocketAddress sender) {
    return sender.equals(remote);
  }

  boolean isClosed() {
    return state == State.CLOSED;
  }

  long idleNanos(long now) {
    return now - lastActiveNanos;
  }

  /** A reply from the destination, to be numbered as it is written to the WebSocket. */
  OutboundData reply(byte[] payload) {
    lastActiveNanos = System.nanoTime();
    return new OutboundData(id, downstream, payload);
  }

  /** Reads a DATA frame's sequence number, as {@link ClientSequence#observe} says. */
  long observe(int seq, PeerConnection via, long allowance) {
    return upstream.observe(seq, via, allowance);
  }

  /** Sends a datagram from the client towards the destination, or queues or drops it. */
  void send(DataFrame data) {
    lastActiveNanos = System.nanoTime();
    byte[] payload = data.payload();
    if (!session.admit(payload.length)) {
      return;
    }
    switch (state) {
      case OPEN -> write(payload);
      case RESOLVING -> {
        if (pending.size() < MAX_PENDING && pendingBytes + payload.length <= MAX_PENDING_BYTES) {
          pending.add(payload);
          pendingBytes += payload.length;
        } else {
          session.dropped(DropCause.QUEUE_FULL);
        }
      }
      case CLOSED -> session.dropped(DropCause.UNKNOWN_FLOW);
    }
  }

  /** The flow's socket is bound; {@code remote} is the resolved destination: send what waited. */
  void opened(Channel channel, InetSocketAddress remote) {
    if (state == State.CLOSED) {
      channel.close();
      return;
    }
    out = new DatagramOut(channel, session.countSendFailure());
    drops = new ReceiveDrops(channel);
    this.remote = remote;
    state = State.OPEN;
    byte[] payload;
    while ((payload = pending.poll()) != null) {
      write(payload);
    }
    pendingBytes = 0;
    flush(); // when the destination took a while to resolve, no message's end flushes these
  }

  /** Sends what {@link #send} queued on the socket since the last flush. */
  void flush() {
    unflushed = false;
    if (out != null) {
      out.flush();
    }
  }

  /** Replies were read from the flow's socket: the next drop check asks it. */
  void repliesRead() {
    if (drops != null) {
      drops.read();
    }
  }

  /** What the kernel dropped at the flow's socket, not counted yet, if it was read since. */
  long receiveDrops() {
    return drops == null ? 0 : drops.sinceRead();
  }

  /**
   * Ends the flow; datagrams still waiting for its destination are dropped for {@code cause}, and
   * what the kernel dropped at its socket is counted a last time.
   */
  void close(DropCause cause) {
    state = State.CLOSED;
    while (pending.poll() != null) {
      session.dropped(cause);
    }
    pendingBytes = 0;
    if (out != null) {
      session.dropped(DropCause.RECEIVE_BUFFER_FULL, drops.beforeClose());
      out.close();
    }
  }

  @Override
  public String toString() {
    return "flow " + id;
  }

  private void write(byte[] payload) {
    if (!out.hasRoom()) {
      session.dropped(DropCause.QUEUE_FULL);
      return;
    }
    DebugTrace.datagram(this, "to", remote, payload);
    out.add(payload, remote);
    if (!unflushed) {
      unflushed = true;
      session.flushAfterMessage(this::flush);
    }
    session.counters().forwarded(Direction.UPSTREAM, payload.length);
    session.traffic().up(payload.length);
  }
}
