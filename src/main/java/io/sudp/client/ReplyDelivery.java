package io.sudp.client;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.sudp.ops.DebugTrace;
import io.sudp.ops.Direction;
import io.sudp.ops.DropCause;
import io.sudp.ops.ProtocolViolation;
import io.sudp.ops.RateLimitedLog;
import io.sudp.ops.SequenceGaps;
import io.sudp.ops.TrafficCounters;
import io.sudp.protocol.AcceptFrame;
import io.sudp.protocol.CloseFrame;
import io.sudp.protocol.DataFrame;
import io.sudp.protocol.FlowCloseReason;
import io.sudp.protocol.Frame;
import io.sudp.protocol.Limits;
import io.sudp.protocol.ListenResultFrame;
import io.sudp.protocol.SessionFrame;
import io.sudp.transport.PeerConnection;
import io.sudp.udp.DatagramOut;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The last step of the client's return path: each reply goes to the application that sent the
 * request, from the tunnel's listening socket, so connected UDP sockets accept it.
 */
public final class ReplyDelivery {
  private final ClientFlows flows;
  private final ReverseTunnels reverse;
  private final Runnable onNewServerSession;
  private final TrafficCounters counters;
  private final ChannelFutureListener countFailure;
  private final RateLimitedLog log =
      new RateLimitedLog(LoggerFactory.getLogger(ReplyDelivery.class));

  /**
   * @param reverse the reverse tunnels this connection offers, with their flows
   * @param onNewServerSession runs when the server did not resume the session after a reconnect
   */
  public ReplyDelivery(
      ClientFlows flows,
      ReverseTunnels reverse,
      TrafficCounters counters,
      Runnable onNewServerSession) {
    this.flows = flows;
    this.reverse = reverse;
    this.onNewServerSession = onNewServerSession;
    this.counters = counters;
    this.countFailure =
        future -> {
          if (!future.isSuccess()) {
            counters.drop(DropCause.SEND_ERROR);
            log.warn(
                "could not deliver a reply to {}: {}", future.channel(), future.cause().toString());
          }
        };
  }

  /**
   * Applies the frames of one message from the server: replies go to their flows' senders (one
   * batch per listening socket), closed flows end or are refused, a session the server started over
   * renumbers the replies. Frames of reverse flows (server-assigned ids, which the client's own
   * never have) and of reverse listeners go to {@link ReverseTunnels}.
   *
   * @param peer the connection the frames came on
   */
  public void deliver(List<Frame> frames, PeerConnection peer) {
    List<DatagramOut> written = new ArrayList<>(1);
    for (Frame frame : frames) {
      if (frame instanceof DataFrame data) {
        if (isReverse(data.flowId())) {
          reverse.data(data);
        } else {
          deliver(data, written);
        }
      } else if (frame instanceof CloseFrame close) {
        if (isReverse(close.flowId())) {
          reverse.closed(close);
        } else {
          closed(close);
        }
      } else if (frame instanceof AcceptFrame accept) {
        reverse.accept(accept, peer);
      } else if (frame instanceof ListenResultFrame result) {
        reverse.listenResult(result, peer);
      } else if (frame instanceof SessionFrame session) {
        if (!session.resumed()) {
          flows.serverStartedOver();
          reverse.serverStartedOver();
          onNewServerSession.run();
        }
      } else {
        // OPEN, LISTEN and UNLISTEN go from client to server only: nothing after it is applied.
        peer.violated(
            ProtocolViolation.MALFORMED,
            "a "
                + frame.getClass().getSimpleName()
                + " from the server, which only a client sends");
        break;
      }
    }
    // The message's replies go out as one batch per listening socket.
    written.forEach(DatagramOut::flush);
    reverse.flushWrites();
  }

  private static boolean isReverse(int flowId) {
    return (flowId & Limits.REVERSE_FLOW_BIT) != 0;
  }

  private void deliver(DataFrame data, List<DatagramOut> written) {
    ClientFlow flow = flows.get(data.flowId());
    if (flow == null) {
      counters.drop(DropCause.UNKNOWN_FLOW);
      return;
    }
    counters.sequence(
        flow.downstreamGaps()
            .observe(data.seq(), SequenceGaps.MAX_IN_FLIGHT, SequenceGaps.MAX_IN_FLIGHT));
    flow.touch();
    DatagramOut out = outFor(flow.listener(), written);
    if (!out.hasRoom()) {
      counters.drop(DropCause.QUEUE_FULL);
      flow.tunnel().traffic().drop();
      return;
    }
    DebugTrace.datagram(flow.tunnel(), "to", flow.sender(), data.payload());
    out.add(data.payload(), flow.sender());
    counters.forwarded(Direction.DOWNSTREAM, data.payload().length);
    flow.tunnel().traffic().down(data.payload().length);
  }

  /** The batch of this message's replies that leave from {@code listener}. */
  private DatagramOut outFor(Channel listener, List<DatagramOut> written) {
    for (DatagramOut out : written) {
      if (out.channel() == listener) {
        return out;
      }
    }
    DatagramOut out = new DatagramOut(listener, countFailure);
    written.add(out);
    return out;
  }

  private void closed(CloseFrame close) {
    ClientFlow flow = flows.get(close.flowId());
    if (flow == null) {
      return;
    }
    FlowCloseReason reason = close.reason();
    if (reason == FlowCloseReason.FORBIDDEN || reason == FlowCloseReason.UNRESOLVABLE) {
      flow.refuse();
      log.warn(
          "tunnel {}: the server refused destination {} for {}: {}",
          flow.tunnel().name(),
          flow.tunnel().destination(),
          flow.sender(),
          reason.name().toLowerCase());
    } else {
      flows.remove(flow);
    }
  }
}
