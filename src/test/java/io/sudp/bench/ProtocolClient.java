package io.sudp.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sudp.protocol.DataFrame;
import io.sudp.protocol.Destination;
import io.sudp.protocol.Frame;
import io.sudp.protocol.FrameCodec;
import io.sudp.protocol.OpenFrame;
import io.sudp.protocol.ProtocolException;
import io.sudp.protocol.ProtocolVersion;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One WebSocket connection to a SUDP server, speaking the tunnel protocol itself: it opens flows
 * and sends 64-byte datagrams carrying a sequence number and a send time, and records the round
 * trip of every reply. Flow ids are 1..N on each connection.
 */
final class ProtocolClient {
  static final int PAYLOAD = 64;
  private static final int OPENING = -1;

  private final WebSocket socket;
  private final AtomicInteger opened = new AtomicInteger();
  private int[] nextSeq = new int[1];
  private volatile PacedRoundTrips measurement;

  ProtocolClient(WebSocket socket) {
    this.socket = socket;
    socket.binaryMessageHandler(this::received);
  }

  /**
   * Opens flows 1..{@code flows} to {@code destination}, each with one datagram, in one message.
   */
  void open(int flows, Destination destination) {
    nextSeq = new int[flows + 1];
    ByteBuf message = Unpooled.buffer();
    for (int id = 1; id <= flows; id++) {
      new OpenFrame(id, destination, 0).encodeTo(message);
      new DataFrame(id, nextSeq[id]++, payload(OPENING)).encodeTo(message);
    }
    socket.writeBinaryMessage(Buffer.buffer(message));
  }

  /** Flows whose first datagram came back. */
  int opened() {
    return opened.get();
  }

  /** Where the round trips of replies go from now on; null: nowhere. */
  void recordInto(PacedRoundTrips measurement) {
    this.measurement = measurement;
  }

  /** Sends datagram {@code seq} of a measurement on flow {@code id}, alone in its message. */
  void send(int id, int seq) {
    ByteBuf message = Unpooled.buffer(PAYLOAD + 16);
    new DataFrame(id, nextSeq[id]++, payload(seq)).encodeTo(message);
    socket.writeBinaryMessage(Buffer.buffer(message));
  }

  void close() {
    socket.close();
  }

  private static byte[] payload(int seq) {
    byte[] payload = new byte[PAYLOAD];
    ByteBuffer.wrap(payload).putInt(seq).putLong(System.nanoTime());
    return payload;
  }

  private void received(Buffer message) {
    long now = System.nanoTime();
    List<Frame> frames;
    try {
      frames = FrameCodec.decode(message.getByteBuf(), ProtocolVersion.V1);
    } catch (ProtocolException e) {
      throw new IllegalStateException("the server sent a malformed message", e);
    }
    for (Frame frame : frames) {
      if (frame instanceof DataFrame data) {
        ByteBuffer payload = ByteBuffer.wrap(data.payload());
        int seq = payload.getInt();
        long rtt = now - payload.getLong();
        PacedRoundTrips current = measurement;
        if (seq == OPENING) {
          opened.incrementAndGet();
        } else if (current != null) {
          current.record(seq, rtt);
        }
      }
    }
  }
}
