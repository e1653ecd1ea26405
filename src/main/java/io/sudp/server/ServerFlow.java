package io.sudp.server;

import io.sudp.ops.DebugTrace;
import io.netty.channel.Channel;
import io.sudp.ops.Direction;
import io.sudp.ops.DropCause;
import io.sudp.ops.SequenceGaps;
import io.sudp.protocol.DataFrame;
import io.sudp.protocol.Destination;
import io.sudp.protocol.FlowSequence;
import io.sudp.protocol.OutboundData;
import io.sudp.udp.DatagramOut;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * One flow on the server: a UDP socket of its own towards the destination, like one entry of a NAT
 * table; only datagrams from the destination's address and port are taken as replies. Datagrams
 * that arrive while the destination is being resolved wait in a short queue. Only the event loop
 * of the flow's WebSocket connection touches it.
 */
final class ServerFlow {
  private static final int MAX_PENDING = 256;

  private enum State { RESOLVING, OPEN, REFUSED, CLOSED }

  private final int id;
  private final Destination destination;
  private final ClientSession session;
  private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
  private State state = State.RESOLVING;
  private DropCause refusal;
  private DatagramOut out;
  private InetSocketAddress remote;
  private final FlowSequence downstream = new FlowSequence();
  private final SequenceGaps upstreamGaps;
  private long lastActiveNanos = System.nanoTime();
  private boolean unflushed;

  ServerFlow(int id, Destination destination, int firstSeq, ClientSession session) {
    this.id = id;
    this.destination = destination;
    this.session = session;
    this.upstreamGaps = new SequenceGaps(firstSeq);
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

  /** Sends a datagram from the client towards the destination, or queues or drops it. */
  void send(DataFrame data) {
    upstreamGaps.observe(data.seq(), session.counters());
    lastActiveNanos = System.nanoTime();
    byte[] payload = data.payload();
    if (!session.admit(payload.length)) {
      return;
    }
    switch (state) {
      case OPEN -> write(payload);
      case RESOLVING -> {
        if (pending.size() < MAX_PENDING) {
          pending.add(payload);
        } else {
          session.counters().drop(DropCause.QUEUE_FULL);
        }
      }
      case REFUSED -> session.counters().drop(refusal);
      case CLOSED -> session.counters().drop(DropCause.UNKNOWN_FLOW);
    }
  }

  /** The flow's socket is bound; {@code remote} is the resolved destination: send what waited. */
  void opened(Channel channel, InetSocketAddress remote) {
    if (state == State.CLOSED) {
      channel.close();
      return;
    }
    out = new DatagramOut(channel, session.countSendFailure());
    this.remote = remote;
    state = State.OPEN;
    byte[] payload;
    while ((payload = pending.poll()) != null) {
      write(payload);
    }
    flush(); // when the destination took a while to resolve, no message's end flushes these
  }

  /** Sends what {@link #send} queued on the socket since the last flush. */
  void flush() {
    unflushed = false;
    if (out != null) {
      out.flush();
    }
  }

  /** The destination may not be used; what waited is dropped for {@code cause}. */
  void refuse(DropCause cause) {
    state = State.REFUSED;
    refusal = cause;
    while (pending.poll() != null) {
      session.counters().drop(cause);
    }
  }

  @Override
  public String toString() {
    return "flow " + id;
  }

  void close() {
    state = State.CLOSED;
    pending.clear();
    if (out != null) {
      out.close();
    }
  }

  private void write(byte[] payload) {
    if (!out.hasRoom()) {
      session.counters().drop(DropCause.QUEUE_FULL);
      return;
    }
    DebugTrace.datagram(this, "to", remote, payload);
    out.add(payload, remote);
    if (!unflushed) {
      unflushed = true;
      session.flushAfterMessage(this);
    }
    session.counters().forwarded(Direction.UPSTREAM, payload.length);
    session.traffic().up(payload.length);
  }
}
