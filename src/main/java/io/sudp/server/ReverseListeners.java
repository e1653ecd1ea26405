package io.sudp.server;

import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.util.NetUtil;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import io.sudp.ops.DebugTrace;
import io.sudp.ops.DropCause;
import io.sudp.ops.ProtocolViolation;
import io.sudp.ops.Refusal;
import io.sudp.protocol.AcceptFrame;
import io.sudp.protocol.CloseFrame;
import io.sudp.protocol.Destination;
import io.sudp.protocol.FlowCloseReason;
import io.sudp.protocol.Limits;
import io.sudp.protocol.ListenFrame;
import io.sudp.protocol.ListenResult;
import io.sudp.protocol.ListenResultFrame;
import io.sudp.udp.DatagramSockets;
import io.sudp.udp.ReceiveCoalescing;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;

/**
 * The reverse tunnels of one client session (protocol version 2): its listeners, each a UDP port of
 * the server that the session holds alone, and the reverse flows of their senders. A listener and a
 * reverse flow each hold a slot of the connection's, the user's and the server's flow limits, as a
 * flow does. Everything here runs on the session's event loop.
 */
final class ReverseListeners {
  /** Listeners one session may hold at once. */
  static final int MAX_LISTENERS = 64;

  /** Senders one listener carries at once. */
  static final int MAX_FLOWS_PER_LISTENER = 1024;

  private static final int DATAGRAMS_PER_TURN = 64;
  private static final int RECEIVE_BUFFER = 4 << 20;

  private final ClientSession session;
  private final IntObjectMap<ReverseListener> listeners = new IntObjectHashMap<>();
  private final IntObjectMap<ReverseFlow> flows = new IntObjectHashMap<>();
  private int lastFlowId;

  ReverseListeners(ClientSession session) {
    this.session = session;
  }

  ClientSession session() {
    return session;
  }

  int listenerCount() {
    return listeners.size();
  }

  int flowCount() {
    return flows.size();
  }

  ReverseFlow flow(int id) {
    return flows.get(id);
  }

  /**
   * A client asks for a listener: judged, then bound; the client hears the result either way. A
   * LISTEN for a listener the session holds (a resumed session) is answered again.
   */
  void listen(ListenFrame listen) {
    ReverseListener existing = listeners.get(listen.listenId());
    if (existing != null) {
      if (!existing.isFor(listen.host(), listen.port())) {
        session
            .peer()
            .violated(
                ProtocolViolation.MALFORMED,
                "listener " + listen.listenId() + " asked for again with another port");
      } else if (existing.listening()) {
        answer(listen, ListenResult.LISTENING);
      } // else still binding: the answer is on its way
      return;
    }
    ListenResult refusal = judge(listen);
    if (refusal != null) {
      refuse(listen, refusal, refusal.reason());
      return;
    }
    ServerNat nat = session.nat();
    if (!nat.claimReversePort(listen.port(), this)) {
      refuse(listen, ListenResult.IN_USE, ListenResult.IN_USE.reason());
      return;
    }
    DropCause limit = session.takeReverseSlot();
    if (limit != null) {
      nat.releaseReversePort(listen.port(), this);
      refuse(listen, ListenResult.LISTENER_LIMIT, limit.label() + " reached");
      return;
    }
    ReverseListener listener =
        new ReverseListener(listen.listenId(), listen.host(), listen.port(), this);
    listeners.put(listen.listenId(), listener);
    bind(listen, listener, nat.reverse().bindAddress());
  }

  private ListenResult judge(ListenFrame listen) {
    ReverseSettings reverse = session.nat().reverse();
    if (!reverse.offered()) {
      return ListenResult.NOT_OFFERED;
    }
    if (listen.host() != null && !reverse.isBindAddress(listen.host())) {
      return ListenResult.NOT_ALLOWED;
    }
    if (!reverse.allows(session.peer().user(), listen.port())) {
      return ListenResult.NOT_ALLOWED;
    }
    return listeners.size() >= MAX_LISTENERS ? ListenResult.LISTENER_LIMIT : null;
  }

  private void bind(ListenFrame listen, ReverseListener listener, InetAddress address) {
    DatagramChannel channel;
    try {
      channel =
          ReceiveCoalescing.enable(
              session
                  .nat()
                  .transport()
                  .datagramChannel(
                      address instanceof Inet6Address
                          ? InternetProtocolFamily.IPv6
                          : InternetProtocolFamily.IPv4));
    } catch (RuntimeException e) { // no file descriptor left, for one
      bindFailed(listen, listener, e);
      return;
    }
    channel
        .config()
        .setOption(
            ChannelOption.RCVBUF_ALLOCATOR,
            new FixedRecvByteBufAllocator(65_536).maxMessagesPerRead(DATAGRAMS_PER_TURN));
    channel.config().setOption(ChannelOption.SO_RCVBUF, RECEIVE_BUFFER);
    channel.pipeline().addLast(listener);
    DatagramSockets.registerAndBind(
        session.loop(),
        channel,
        new InetSocketAddress(address, listen.port()),
        bound -> {
          if (listeners.get(listen.listenId()) != listener) {
            bound.close(); // given up meanwhile
            return;
          }
          listener.bound(bound);
          session.nat().reverseListening(1);
          session
              .nat()
              .log()
              .info(
                  "{}: reverse listener {} on {}",
                  session.peer(),
                  listen.listenId(),
                  bound.localAddress());
          answer(listen, ListenResult.LISTENING);
        },
        cause -> bindFailed(listen, listener, cause));
  }

  private void bindFailed(ListenFrame listen, ReverseListener listener, Throwable cause) {
    if (listeners.remove(listener.listenId()) == null) {
      return; // given up meanwhile
    }
    session.nat().releaseReversePort(listener.port(), this);
    session.releaseReverseSlot();
    refuse(listen, ListenResult.CANNOT_BIND, "cannot bind: " + cause.getMessage());
  }

  private void refuse(ListenFrame listen, ListenResult result, String why) {
    session.counters().refused(Refusal.REVERSE_LISTEN);
    session
        .nat()
        .log()
        .warn(
            "{}: reverse listener {} on port {} refused: {}",
            session.peer(),
            listen.listenId(),
            listen.port(),
            why);
    answer(listen, result);
  }

  private void answer(ListenFrame listen, ListenResult result) {
    session
        .peer()
        .send(
            new ListenResultFrame(
                listen.listenId(), result, result == ListenResult.LISTENING ? listen.port() : 0));
  }

  /** The client no longer wants a listener: it and its flows close, nothing is sent back. */
  void unlisten(int listenId) {
    ReverseListener listener = listeners.remove(listenId);
    if (listener != null) {
      close(listener);
    }
  }

  private void close(ReverseListener listener) {
    for (ReverseFlow flow : listener.flows()) {
      end(flow);
    }
    if (listener.listening()) {
      session.nat().reverseListening(-1);
    }
    listener.close();
    session.nat().releaseReversePort(listener.port(), this);
    session.releaseReverseSlot();
    DebugTrace.flow("{}: {} closed", session.peer(), listener);
  }

  /**
   * A new sender at {@code listener}: a reverse flow, announced to the client before its first
   * datagram; null, counted, when a limit refuses it.
   */
  ReverseFlow accept(ReverseListener listener, InetSocketAddress sender) {
    if (sender.getPort() == 0) {
      session.dropped(DropCause.UNSOLICITED); // crafted: no reply could reach it
      return null;
    }
    if (listener.flowCount() >= MAX_FLOWS_PER_LISTENER) {
      session.dropped(DropCause.FLOW_LIMIT);
      return null;
    }
    DropCause limit = session.takeReverseSlot();
    if (limit != null) {
      session.dropped(limit);
      return null;
    }
    int id = nextFlowId();
    ReverseFlow flow = new ReverseFlow(id, listener, sender, session.peer());
    flows.put(id, flow);
    listener.add(flow);
    session
        .peer()
        .send(
            new AcceptFrame(
                id,
                listener.listenId(),
                // Without an IPv6 scope (fe80::1%eth0), which the client would take for a name.
                new Destination(NetUtil.toAddressString(sender.getAddress()), sender.getPort()),
                0));
    DebugTrace.flow("{}: {} at {}", session.peer(), flow, listener);
    return flow;
  }

  /** Ids with the top bit set, never one in use; the flows are bounded, so one is free. */
  private int nextFlowId() {
    int id;
    do {
      lastFlowId = (lastFlowId + 1) & ~Limits.REVERSE_FLOW_BIT;
      id = lastFlowId | Limits.REVERSE_FLOW_BIT;
    } while (lastFlowId == 0 || flows.containsKey(id));
    return id;
  }

  /** The client closed or refused a reverse flow. */
  void closed(CloseFrame close) {
    ReverseFlow flow = flows.get(close.flowId());
    if (flow == null || flow.refused() != null) {
      return;
    }
    DropCause refusal =
        switch (close.reason()) {
          case FORBIDDEN -> DropCause.FORBIDDEN;
          case UNRESOLVABLE -> DropCause.UNRESOLVABLE;
          case FLOW_LIMIT -> DropCause.FLOW_LIMIT;
          case SOCKET_ERROR -> DropCause.SEND_ERROR;
          case UNKNOWN_LISTENER -> DropCause.UNKNOWN_FLOW;
          default -> null;
        };
    if (refusal == null) {
      flows.remove(flow.id());
      end(flow);
    } else {
      flow.refuse(refusal); // its sender's datagrams are dropped until it idles out
      session.releaseReverseSlot();
    }
  }

  private void end(ReverseFlow flow) {
    flows.remove(flow.id());
    flow.listener().remove(flow);
    if (flow.refused() == null) {
      session.releaseReverseSlot();
    }
  }

  /** Ends the reverse flows idle for longer than {@code timeoutNanos} and tells the client. */
  void expireIdle(long now, long timeoutNanos) {
    for (ReverseFlow flow : new ArrayList<>(flows.values())) {
      if (flow.idleNanos(now) > timeoutNanos) {
        boolean carried = flow.refused() == null;
        end(flow);
        if (carried) {
          session.peer().send(new CloseFrame(flow.id(), FlowCloseReason.IDLE));
        }
      }
    }
  }

  /** Counts what the kernel dropped at the listeners read in the last second. */
  void countReceiveDrops() {
    for (ReverseListener listener : listeners.values()) {
      session.dropped(DropCause.RECEIVE_BUFFER_FULL, listener.receiveDrops());
    }
  }

  /** The session ended: every listener closes and its port is free for another session. */
  void closeAll() {
    for (ReverseListener listener : new ArrayList<>(listeners.values())) {
      listeners.remove(listener.listenId());
      close(listener);
    }
  }
}
