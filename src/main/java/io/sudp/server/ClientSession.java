package io.sudp.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.util.NetUtil;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import io.netty.util.concurrent.ScheduledFuture;
import io.sudp.ops.DebugTrace;
import io.sudp.ops.DropCause;
import io.sudp.ops.Traffic;
import io.sudp.ops.TrafficCounters;
import io.sudp.protocol.CloseCodes;
import io.sudp.protocol.CloseFrame;
import io.sudp.protocol.DataFrame;
import io.sudp.protocol.Destination;
import io.sudp.protocol.FlowCloseReason;
import io.sudp.protocol.OpenFrame;
import io.sudp.protocol.OutboundData;
import io.sudp.transport.PeerConnection;
import io.sudp.udp.ReceiveCoalescing;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The NAT table of one client session: its flows by id, each with its own UDP socket. Everything
 * here runs on one event loop, the one of the session's first connection, which also runs the
 * flows' sockets, so a datagram goes from WebSocket to UDP and back without a lock or a thread hop.
 */
final class ClientSession {
  private static final int REPLIES_PER_TURN = 256;
  private static final int FLOW_RECEIVE_BUFFER = 4 << 20; // as the tunnels' listening sockets
  private final EventLoop loop;
  private final ServerNat nat;
  private final UserLimits limits;
  private final Traffic traffic;
  private final DestinationPolicy policy;
  private volatile PeerConnection peer;
  private final IntObjectMap<ServerFlow> flows = new IntObjectHashMap<>();
  private final List<ServerFlow> unflushed = new ArrayList<>();
  private List<OutboundData> replies = new ArrayList<>();
  private final ChannelFutureListener countSendFailure;
  private final ScheduledFuture<?> sweeper;

  ClientSession(PeerConnection peer, ServerNat nat) {
    this.peer = peer;
    this.loop = peer.loop();
    this.nat = nat;
    this.limits = nat.limitsOf(peer.user());
    this.traffic = nat.trafficOf(peer.user());
    this.policy = nat.policyFor(peer.user());
    this.countSendFailure = future -> {
      if (!future.isSuccess()) {
        counters().drop(DropCause.SEND_ERROR);
        nat.log().warn("{}: UDP send failed: {}", peer, future.cause().toString());
      }
    };
    long period = Math.max(TimeUnit.MILLISECONDS.toNanos(100), nat.idleTimeoutNanos() / 4);
    this.sweeper =
        loop.scheduleAtFixedRate(this::expireIdle, period, period, TimeUnit.NANOSECONDS);
  }

  /** The event loop that owns this session's flows and their sockets. */
  EventLoop loop() {
    return loop;
  }

  /** The connection the session's frames now arrive on (a new one after a resume). */
  void connectedVia(PeerConnection current) {
    peer = current;
  }

  TrafficCounters counters() {
    return nat.counters();
  }

  /** Takes a datagram from the user's rate budget; false, counted, when over it. */
  boolean admit(int length) {
    if (limits.admit(length)) {
      return true;
    }
    counters().drop(DropCause.RATE_LIMITED);
    traffic.drop();
    return false;
  }

  /** What this session's user carried, over all its connections. */
  Traffic traffic() {
    return traffic;
  }

  ChannelFutureListener countSendFailure() {
    return countSendFailure;
  }

  int flowCount() {
    return flows.size();
  }

  /** One line per flow: id, destination, seconds idle. Call on {@link #loop()}. */
  List<String> describeFlows() {
    long now = System.nanoTime();
    List<String> lines = new ArrayList<>();
    for (ServerFlow flow : flows.values()) {
      lines.add(flow + " -> " + flow.destination() + ", idle "
          + TimeUnit.NANOSECONDS.toSeconds(flow.idleNanos(now)) + " s");
    }
    return lines;
  }

  /** Closes one flow as if the client had, telling the client; false if there is no such flow. */
  boolean closeFlowByOperator(int id) {
    ServerFlow flow = flows.remove(id);
    if (flow == null) {
      return false;
    }
    closeFlow(flow);
    peer.send(new CloseFrame(id, FlowCloseReason.NORMAL));
    return true;
  }

  void open(OpenFrame open) {
    ServerFlow existing = flows.get(open.flowId());
    if (existing != null) {
      if (!existing.destination().equals(open.destination())) {
        nat.log().warn("closing {}: flow {} re-opened towards another destination", peer,
            open.flowId());
        counters().malformedMessage();
        peer.close(CloseCodes.PROTOCOL_ERROR, "flow re-opened with another destination");
      }
      return; // a re-open after reconnect: the flow carries on
    }
    if (flows.size() >= nat.maxFlowsPerConnection() || !limits.tryOpenFlow()) {
      peer.send(new CloseFrame(open.flowId(), FlowCloseReason.FLOW_LIMIT));
      counters().drop(DropCause.FLOW_LIMIT);
      nat.log().warn("{}: flow limit reached", peer);
      return;
    }
    ServerFlow flow = new ServerFlow(open.flowId(), open.destination(), open.firstSeq(), this);
    flows.put(flow.id(), flow);
    Destination destination = open.destination();
    if (destination.isAddressLiteral()) {
      resolved(flow, NetUtil.createInetAddressFromIpAddressString(destination.host()));
    } else {
      nat.resolve(destination.host(), result -> {
        if (result.succeeded()) {
          resolved(flow, result.result());
        } else {
          refuse(flow, FlowCloseReason.UNRESOLVABLE, DropCause.UNRESOLVABLE);
        }
      });
    }
  }

  private void resolved(ServerFlow flow, InetAddress address) {
    if (flow.isClosed()) {
      return;
    }
    Destination destination = flow.destination();
    if (!policy.permits(destination.host(), address, destination.port())) {
      nat.log().warn("{}: refused destination {} ({}): not on the allowlist", peer, destination,
          address.getHostAddress());
      refuse(flow, FlowCloseReason.FORBIDDEN, DropCause.FORBIDDEN);
      return;
    }
    boolean ipv6 = address instanceof Inet6Address;
    InternetProtocolFamily family =
        ipv6 ? InternetProtocolFamily.IPv6 : InternetProtocolFamily.IPv4;
    InetSocketAddress remote = new InetSocketAddress(address, destination.port());
    // Registered and bound right here, on the session's loop: both complete at once, so the
    // datagrams that came in the same message as the OPEN go straight out.
    new Bootstrap()
        .group(loop)
        .channelFactory(() -> ReceiveCoalescing.enable(nat.transport().datagramChannel(family)))
        // Replies are read in long runs and buffered generously: under load the loop's turns are
        // shared with the connection's incoming frames, and a reply lost here wasted a round trip.
        .option(ChannelOption.RCVBUF_ALLOCATOR,
            new FixedRecvByteBufAllocator(65_536).maxMessagesPerRead(REPLIES_PER_TURN))
        .option(ChannelOption.SO_RCVBUF, FLOW_RECEIVE_BUFFER)
        .handler(new FlowReplies(flow, this))
        .register()
        .addListener((ChannelFutureListener) registered -> {
          if (!registered.isSuccess()) {
            socketFailed(flow, registered.cause());
            return;
          }
          registered.channel().bind(new InetSocketAddress(ipv6 ? "::" : "0.0.0.0", 0))
              .addListener((ChannelFutureListener) bound -> {
                if (bound.isSuccess()) {
                  DebugTrace.flow("{}: flow {} opened to {} from udp port {}", peer, flow.id(),
                      remote, ((InetSocketAddress) bound.channel().localAddress()).getPort());
                  flow.opened(bound.channel(), remote);
                } else {
                  bound.channel().close();
                  socketFailed(flow, bound.cause());
                }
              });
        });
  }

  private void refuse(ServerFlow flow, FlowCloseReason reason, DropCause cause) {
    flow.refuse(cause);
    peer.send(new CloseFrame(flow.id(), reason));
  }

  void data(DataFrame data) {
    ServerFlow flow = flows.get(data.flowId());
    if (flow == null) {
      counters().drop(DropCause.UNKNOWN_FLOW);
      peer.send(new CloseFrame(data.flowId(), FlowCloseReason.UNKNOWN_FLOW));
      return;
    }
    flow.send(data);
  }

  /** {@code flow} wrote datagrams that go out when the current message has been applied. */
  void flushAfterMessage(ServerFlow flow) {
    unflushed.add(flow);
  }

  /**
   * Sends the datagrams the message just applied wrote: each flow's run of them leaves with one
   * {@code sendmmsg} call where the transport has it.
   */
  void flushWrites() {
    for (ServerFlow flow : unflushed) {
      flow.flush();
    }
    unflushed.clear();
  }

  void close(CloseFrame close) {
    ServerFlow flow = flows.remove(close.flowId());
    if (flow != null) {
      closeFlow(flow);
    }
  }

  private void closeFlow(ServerFlow flow) {
    DebugTrace.flow("{}: flow {} to {} closed", peer, flow.id(), flow.destination());
    flow.close();
    limits.flowClosed();
  }

  /** A reply from a flow's destination, sent on with the rest of its burst. */
  void reply(OutboundData reply) {
    replies.add(reply);
  }

  /**
   * A flow's socket has no more replies for now: the burst goes into the return route as one
   * exchange, not one per datagram.
   */
  void sendReplies() {
    if (!replies.isEmpty()) {
      nat.reply(replies, peer);
      replies = new ArrayList<>();
    }
  }

  void socketFailed(ServerFlow flow, Throwable cause) {
    if (flows.remove(flow.id()) == null) {
      return;
    }
    closeFlow(flow);
    nat.log().warn("{}: flow {} to {} failed: {}", peer, flow.id(), flow.destination(),
        cause.toString());
    peer.send(new CloseFrame(flow.id(), FlowCloseReason.SOCKET_ERROR));
  }

  private void expireIdle() {
    long now = System.nanoTime();
    for (ServerFlow flow : new ArrayList<>(flows.values())) {
      if (flow.idleNanos(now) > nat.idleTimeoutNanos()) {
        flows.remove(flow.id());
        closeFlow(flow);
        peer.send(new CloseFrame(flow.id(), FlowCloseReason.IDLE));
      }
    }
  }

  /** The connection is gone: every flow and its socket go with it. */
  void closeAll() {
    sweeper.cancel(false);
    for (ServerFlow flow : flows.values()) {
      closeFlow(flow);
    }
    flows.clear();
  }
}
