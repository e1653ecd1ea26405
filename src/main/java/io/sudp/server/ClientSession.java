package io.sudp.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.util.NetUtil;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import io.netty.util.concurrent.ScheduledFuture;
import io.sudp.destination.DestinationPolicy;
import io.sudp.ops.DebugTrace;
import io.sudp.ops.DropCause;
import io.sudp.ops.ProtocolViolation;
import io.sudp.ops.SequenceGaps;
import io.sudp.ops.Traffic;
import io.sudp.ops.TrafficCounters;
import io.sudp.protocol.CloseFrame;
import io.sudp.protocol.DataFrame;
import io.sudp.protocol.Destination;
import io.sudp.protocol.FlowCloseReason;
import io.sudp.protocol.Frame;
import io.sudp.protocol.Limits;
import io.sudp.protocol.ListenFrame;
import io.sudp.protocol.OpenFrame;
import io.sudp.protocol.OutboundData;
import io.sudp.transport.PeerConnection;
import io.sudp.udp.DatagramSockets;
import io.sudp.udp.ReceiveCoalescing;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The NAT table of one client session (its {@link ServerSession}'s flow table, made on its first
 * message): its flows by id, each with its own UDP socket. Everything here runs on one event loop,
 * the one of the session's first connection, which also runs the flows' sockets, so a datagram goes
 * from WebSocket to UDP and back without a lock or a thread hop.
 *
 * <p>Every flow holds a slot of the connection's, the user's and the server's flow limits, taken
 * before anything is spent on it; a destination named by host name must be one the allowlist could
 * permit before it is resolved, and is resolved under a time limit, with a bounded number of
 * resolutions at once.
 */
final class ClientSession {
  /** Host names a session may have resolving at once. */
  static final int MAX_RESOLVING = 8;

  /** How often a newer connection may bring a fresh allowance of datagrams counted as lost. */
  static final long LOSS_GRANT_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** Bytes of messages that may wait for this session's loop when they arrive on another. */
  static final long MAX_HOP_BYTES = 4 << 20;

  private static final int REPLIES_PER_TURN = 256;
  private static final int FLOW_RECEIVE_BUFFER = 4 << 20; // as the tunnels' listening sockets
  private final String id;
  private final EventLoop loop;
  private final ServerNat nat;
  private final UserBudget userBudget;
  private final Traffic traffic;
  private final DestinationPolicy policy;
  private volatile PeerConnection peer;
  private final IntObjectMap<ServerFlow> flows = new IntObjectHashMap<>();
  private final RefusedFlows refused = new RefusedFlows();
  private final ReverseListeners reverse = new ReverseListeners(this);
  private final AtomicInteger serverSlots = new AtomicInteger();
  private final AtomicInteger owedFlows = new AtomicInteger();

  /**
   * Reverse listeners and reverse flows holding slots: they count against {@code
   * max-flows-per-connection} with the flows, so one connection cannot take more by asking for
   * listeners.
   */
  private final AtomicInteger reverseSlots = new AtomicInteger();

  private final AtomicLong hopBytes = new AtomicLong();
  private volatile boolean ended;
  private volatile long lastActiveNanos = System.nanoTime();
  private int resolving;
  private long newestConnection;
  private long lossAllowance;
  private long lastLossGrant = System.nanoTime() - LOSS_GRANT_NANOS;
  private final List<Runnable> unflushed = new ArrayList<>();
  private List<OutboundData> replies = new ArrayList<>();
  private final ChannelFutureListener countSendFailure;
  private final ScheduledFuture<?> sweeper;
  private final ScheduledFuture<?> dropCheck;

  ClientSession(String id, PeerConnection peer, ServerNat nat) {
    this.id = id;
    this.peer = peer;
    this.loop = peer.loop();
    this.nat = nat;
    this.userBudget = nat.budgetOf(peer.user());
    this.traffic = nat.trafficOf(peer.user());
    this.policy = nat.policyFor(peer.user());
    this.countSendFailure =
        future -> {
          if (!future.isSuccess()) {
            dropped(DropCause.SEND_ERROR);
            nat.log().warn("{}: UDP send failed: {}", this.peer, future.cause().toString());
          }
        };
    long period = Math.max(TimeUnit.MILLISECONDS.toNanos(100), nat.idleTimeoutNanos() / 4);
    this.sweeper = loop.scheduleAtFixedRate(this::expireIdle, period, period, TimeUnit.NANOSECONDS);
    this.dropCheck = loop.scheduleAtFixedRate(this::countReceiveDrops, 1, 1, TimeUnit.SECONDS);
  }

  /** The event loop that owns this session's flows and their sockets. */
  EventLoop loop() {
    return loop;
  }

  /**
   * The connection the session's frames now arrive on (a new one after a resume). A newer
   * connection than any before brings a fresh allowance of datagrams that may count as lost in
   * flight in the one it replaced, at most once per {@link #LOSS_GRANT_NANOS}: a client that
   * resumes over and over cannot make the loss counters grow faster than that.
   */
  void connectedVia(PeerConnection current) {
    peer = current;
    lastActiveNanos = System.nanoTime();
    if (current.id() > newestConnection) {
      newestConnection = current.id();
      long now = System.nanoTime();
      if (now - lastLossGrant >= LOSS_GRANT_NANOS) {
        lastLossGrant = now;
        lossAllowance = SequenceGaps.MAX_IN_FLIGHT;
      }
    }
  }

  /** The connection the session's frames now arrive on. */
  PeerConnection peer() {
    return peer;
  }

  ServerNat nat() {
    return nat;
  }

  /** The session's reverse listeners and their flows (protocol version 2). */
  ReverseListeners reverse() {
    return reverse;
  }

  TrafficCounters counters() {
    return nat.counters();
  }

  /** Counts one datagram of this session dropped for {@code cause}, also against its user. */
  void dropped(DropCause cause) {
    dropped(cause, 1);
  }

  /**
   * Counts {@code count} datagrams of this session dropped for {@code cause}; a count of 0 leaves
   * the counters, which every loop shares, untouched.
   */
  void dropped(DropCause cause, long count) {
    if (count > 0) {
      counters().drop(cause, count);
      traffic.drop(count);
    }
  }

  /** Takes a datagram from the user's rate budget; false, counted, when over it. */
  boolean admit(int length) {
    if (userBudget.admit(length)) {
      return true;
    }
    dropped(DropCause.RATE_LIMITED);
    return false;
  }

  /**
   * The payload of a datagram read from one of the session's sockets (a flow's, a reverse
   * listener's), on its way to the client; null, counted, when it is over the size limit or the
   * user's rate.
   */
  byte[] readForClient(Object owner, DatagramPacket packet) {
    ByteBuf content = packet.content();
    if (content.readableBytes() > Limits.MAX_DATAGRAM) {
      counters().drop(DropCause.OVERSIZED);
      return null;
    }
    if (!admit(content.readableBytes())) {
      return null;
    }
    byte[] payload = new byte[content.readableBytes()];
    content.readBytes(payload);
    traffic.down(payload.length);
    DebugTrace.datagram(owner, "from", packet.sender(), payload);
    return payload;
  }

  /** What this session's user carried, over all its connections. */
  Traffic traffic() {
    return traffic;
  }

  ChannelFutureListener countSendFailure() {
    return countSendFailure;
  }

  int flowCount() {
    return serverSlots.get();
  }

  /** How long nothing went either way in this session, at {@code now}. */
  long idleNanos(long now) {
    return now - lastActiveNanos;
  }

  /** One line per flow: id, destination, seconds idle. Call on {@link #loop()}. */
  List<String> describeFlows() {
    long now = System.nanoTime();
    List<String> lines = new ArrayList<>();
    for (ServerFlow flow : flows.values()) {
      lines.add(
          flow
              + " -> "
              + flow.destination()
              + ", idle "
              + TimeUnit.NANOSECONDS.toSeconds(flow.idleNanos(now))
              + " s");
    }
    return lines;
  }

  /** Closes one flow as if the client had, telling the client; false if there is no such flow. */
  boolean closeFlowByOperator(int flowId) {
    ServerFlow flow = flows.remove(flowId);
    if (flow == null) {
      return false;
    }
    closeFlow(flow, DropCause.UNKNOWN_FLOW);
    peer.send(new CloseFrame(flowId, FlowCloseReason.NORMAL));
    return true;
  }

  /** Frames on their way to this session's loop, and what they hold of the bounds. */
  record Hop(List<Frame> frames, long bytes, boolean pooled) {}

  /**
   * Messages that arrived on another event loop than this session's (a resumed session whose new
   * connection landed elsewhere) wait for this loop: up to the session's share of the queue budget
   * freely, past it from the budget's pool, and never past {@link #MAX_HOP_BYTES}. Beyond, their
   * datagrams are dropped ({@code queue_full}) and only their control frames go on. What was taken
   * is given back by {@link #hopped}.
   */
  Hop admitHop(List<Frame> frames) {
    long bytes = bytesOf(frames);
    long held = hopBytes.addAndGet(bytes);
    boolean pooled = held > nat.budget().share();
    if (held <= MAX_HOP_BYTES && (!pooled || nat.budget().tryTake(bytes))) {
      return new Hop(frames, bytes, pooled);
    }
    hopBytes.addAndGet(-bytes);
    List<Frame> control = new ArrayList<>();
    for (Frame frame : frames) {
      if (frame instanceof DataFrame) {
        dropped(DropCause.QUEUE_FULL);
      } else {
        control.add(frame);
      }
    }
    return new Hop(control, 0, false);
  }

  /** A hop admitted by {@link #admitHop} reached this session's loop. */
  void hopped(Hop hop) {
    hopBytes.addAndGet(-hop.bytes());
    if (hop.pooled()) {
      nat.budget().release(hop.bytes());
    }
  }

  private static long bytesOf(List<Frame> frames) {
    long bytes = 0;
    for (Frame frame : frames) {
      if (frame instanceof DataFrame data) {
        bytes += data.payload().length + 64L;
      }
    }
    return bytes;
  }

  void open(OpenFrame open) {
    if (ended) {
      return; // a message that waited for this loop while the session ended
    }
    ServerFlow existing = flows.get(open.flowId());
    if (existing != null) {
      if (!existing.destination().equals(open.destination())) {
        peer.violated(
            ProtocolViolation.MALFORMED,
            "flow " + open.flowId() + " re-opened towards another destination");
      }
      return; // a re-open after reconnect: the flow carries on
    }
    refused.forget(open.flowId());
    Destination destination = open.destination();
    boolean byName = !destination.isAddressLiteral();
    if (byName && !policy.mayPermitName(destination.host(), destination.port())) {
      refuseOpen(
          open,
          FlowCloseReason.FORBIDDEN,
          DropCause.FORBIDDEN,
          "refused destination " + destination + ": not on the allowlist");
      return;
    }
    DropCause limit = takeSlots(byName);
    if (limit != null) {
      // The client forgets the flow and opens a new one with its next datagram.
      refuseOpen(open, FlowCloseReason.FLOW_LIMIT, limit, limit.label() + " reached");
      return;
    }
    ServerFlow flow = new ServerFlow(open.flowId(), destination, open.firstSeq(), peer, this);
    flows.put(flow.id(), flow);
    if (!byName) {
      connect(flow, NetUtil.createInetAddressFromIpAddressString(destination.host()));
      return;
    }
    ScheduledFuture<?> timeout =
        loop.schedule(
            () -> unresolved(flow, "no answer in time"),
            nat.resolveTimeoutNanos(),
            TimeUnit.NANOSECONDS);
    nat.resolve(loop, destination.host())
        .addListener(
            result -> {
              timeout.cancel(false);
              if (result.isSuccess()) {
                resolved(flow, (InetAddress) result.getNow());
              } else {
                unresolved(flow, String.valueOf(result.cause().getMessage()));
              }
            });
  }

  /**
   * Takes a slot of every flow limit, the connection's included, for a reverse listener or a
   * reverse flow; null if all were taken, else the cause of the first that was full, with nothing
   * taken. {@link #releaseReverseSlot} gives it back.
   */
  DropCause takeReverseSlot() {
    DropCause limit = takeSlots(false);
    if (limit == null) {
      reverseSlots.incrementAndGet();
    }
    return limit;
  }

  /** Gives back what {@link #takeReverseSlot} took. */
  void releaseReverseSlot() {
    reverseSlots.decrementAndGet();
    releaseSlots();
  }

  /**
   * Takes a slot of every flow limit for a new flow (and of the resolutions for one by name); null
   * if all were taken, else the cause of the first that was full, with nothing taken.
   */
  private DropCause takeSlots(boolean byName) {
    if (flows.size() + reverseSlots.get() >= nat.maxFlowsPerConnection()) {
      return DropCause.FLOW_LIMIT;
    }
    if (byName && (resolving >= MAX_RESOLVING || !nat.resolutions().tryTake())) {
      return DropCause.RESOLVE_LIMIT;
    }
    if (userBudget.tryOpenFlow()) {
      if (nat.takeFlowSlot(this)) {
        serverSlots.incrementAndGet();
        resolving += byName ? 1 : 0;
        return null;
      }
      userBudget.flowClosed();
    }
    if (byName) {
      nat.resolutions().release(1);
    }
    return DropCause.FLOW_LIMIT;
  }

  private void refuseOpen(OpenFrame open, FlowCloseReason reason, DropCause cause, String why) {
    refused.remember(open.flowId(), cause);
    peer.send(new CloseFrame(open.flowId(), reason));
    nat.log().warn("{}: flow {} refused: {}", peer, open.flowId(), why);
  }

  private void unresolved(ServerFlow flow, String why) {
    if (flows.get(flow.id()) == flow && endLookup(flow)) {
      nat.log().warn("{}: destination {} did not resolve: {}", peer, flow.destination(), why);
      refuse(flow, FlowCloseReason.UNRESOLVABLE, DropCause.UNRESOLVABLE);
    }
  }

  private void resolved(ServerFlow flow, InetAddress address) {
    if (flows.get(flow.id()) == flow && endLookup(flow)) {
      connect(flow, address);
    } // else closed, or given up on, meanwhile
  }

  /** The destination's address is known: judged, then given a socket. */
  private void connect(ServerFlow flow, InetAddress address) {
    Destination destination = flow.destination();
    if (!policy.permits(destination.host(), address, destination.port())) {
      nat.log()
          .warn(
              "{}: refused destination {} ({}): not on the allowlist",
              peer,
              destination,
              address.getHostAddress());
      refuse(flow, FlowCloseReason.FORBIDDEN, DropCause.FORBIDDEN);
      return;
    }
    boolean ipv6 = address instanceof Inet6Address;
    DatagramChannel channel;
    try {
      channel =
          ReceiveCoalescing.enable(
              nat.transport()
                  .datagramChannel(
                      ipv6 ? InternetProtocolFamily.IPv6 : InternetProtocolFamily.IPv4));
    } catch (RuntimeException e) { // no file descriptor left, for one
      socketFailed(flow, e);
      return;
    }
    // Replies are read in long runs and buffered generously: under load the loop's turns are
    // shared with the connection's incoming frames, and a reply lost here wasted a round trip.
    channel
        .config()
        .setOption(
            ChannelOption.RCVBUF_ALLOCATOR,
            new FixedRecvByteBufAllocator(65_536).maxMessagesPerRead(REPLIES_PER_TURN));
    channel.config().setOption(ChannelOption.SO_RCVBUF, FLOW_RECEIVE_BUFFER);
    channel.pipeline().addLast(new FlowReplies(flow, this));
    InetSocketAddress remote = new InetSocketAddress(address, destination.port());
    // Registered and bound right here, on the session's loop: both complete at once, so the
    // datagrams that came in the same message as the OPEN go straight out.
    DatagramSockets.registerAndBind(
        loop,
        channel,
        new InetSocketAddress(ipv6 ? "::" : "0.0.0.0", 0),
        bound -> {
          DebugTrace.flow(
              "{}: flow {} opened to {} from udp port {}",
              peer,
              flow.id(),
              remote,
              ((InetSocketAddress) bound.localAddress()).getPort());
          flow.opened(bound, remote);
        },
        cause -> socketFailed(flow, cause));
  }

  /**
   * Ends the look-up of the flow's destination name, once: its slots are free for another. False if
   * it had ended before (answered, timed out, or the flow had no name to look up).
   */
  private boolean endLookup(ServerFlow flow) {
    if (!flow.endLookup()) {
      return false;
    }
    resolving--;
    nat.resolutions().release(1);
    return true;
  }

  private void refuse(ServerFlow flow, FlowCloseReason reason, DropCause cause) {
    flows.remove(flow.id());
    closeFlow(flow, cause);
    refused.remember(flow.id(), cause);
    peer.send(new CloseFrame(flow.id(), reason));
  }

  void data(DataFrame data) {
    if (isReverse(data.flowId())) {
      reverseData(data);
      return;
    }
    ServerFlow flow = flows.get(data.flowId());
    if (flow == null) {
      DropCause cause = refused.causeOf(data.flowId());
      if (cause == null) {
        refused.remember(data.flowId(), DropCause.UNKNOWN_FLOW);
        peer.send(new CloseFrame(data.flowId(), FlowCloseReason.UNKNOWN_FLOW));
        cause = DropCause.UNKNOWN_FLOW;
      }
      dropped(cause);
      return;
    }
    if (plausible(flow, data, flow.observe(data.seq(), peer, lossAllowance))) {
      flow.send(data);
    }
  }

  /** A reply from the client on a reverse flow, to its sender from the listener's port. */
  private void reverseData(DataFrame data) {
    ReverseFlow flow = reverse.flow(data.flowId());
    if (flow == null || flow.refused() != null) {
      dropped(DropCause.UNKNOWN_FLOW);
      return;
    }
    if (plausible(flow, data, flow.observe(data.seq(), peer, lossAllowance))
        && admit(data.payload().length)) {
      flow.listener().send(flow, data.payload());
    }
  }

  /**
   * Counts what a DATA frame's sequence number showed ({@code seen}); false, closing the
   * connection, when it jumped where nothing can have been lost.
   */
  private boolean plausible(Object flow, DataFrame data, long seen) {
    if (seen == SequenceGaps.IMPLAUSIBLE) {
      peer.violated(
          ProtocolViolation.SEQUENCE_JUMP,
          flow + " sent sequence number " + Integer.toUnsignedString(data.seq()));
      return false;
    }
    if (seen > 0) {
      lossAllowance -= seen; // what it counted of a jump, within the allowance
    }
    counters().sequence(seen);
    traffic.sequence(seen);
    return true;
  }

  /** True for a server-assigned (reverse) flow id on a connection whose version has them. */
  private boolean isReverse(int flowId) {
    return (flowId & Limits.REVERSE_FLOW_BIT) != 0 && peer.version().hasReverseTunnels();
  }

  /** A client asks for a reverse listener. */
  void listen(ListenFrame listen) {
    if (!ended) {
      reverse.listen(listen);
    }
  }

  /** A socket has datagrams that go out, by {@code flush}, when the current message is applied. */
  void flushAfterMessage(Runnable flush) {
    unflushed.add(flush);
  }

  /**
   * Sends the datagrams the message just applied wrote: each flow's run of them leaves with one
   * {@code sendmmsg} call where the transport has it.
   */
  void flushWrites() {
    for (Runnable flush : unflushed) {
      flush.run();
    }
    unflushed.clear();
  }

  void close(CloseFrame close) {
    if (isReverse(close.flowId())) {
      reverse.closed(close);
      return;
    }
    ServerFlow flow = flows.remove(close.flowId());
    if (flow != null) {
      closeFlow(flow, DropCause.UNKNOWN_FLOW);
    }
  }

  private void closeFlow(ServerFlow flow, DropCause pendingCause) {
    DebugTrace.flow("{}: flow {} to {} closed", peer, flow.id(), flow.destination());
    endLookup(flow);
    flow.close(pendingCause);
    releaseSlots();
  }

  /** Gives back the slots {@link #takeSlots} took for a flow. */
  private void releaseSlots() {
    userBudget.flowClosed();
    if (owedFlows.getAndUpdate(owed -> owed > 0 ? owed - 1 : 0) == 0
        && serverSlots.getAndUpdate(held -> held > 0 ? held - 1 : 0) > 0) {
      nat.releaseFlowSlots(1);
    } // else its slot was given back before it closed
  }

  /**
   * Gives one flow's slot of the server's limit back now, for a session under its fair share; the
   * flow that has been idle longest closes on this session's loop right after (its client is told:
   * {@code flow limit}). False if the session holds none.
   */
  boolean yieldFlow() {
    if (serverSlots.getAndUpdate(held -> held > 0 ? held - 1 : held) <= 0) {
      return false;
    }
    owedFlows.incrementAndGet();
    nat.releaseFlowSlots(1);
    loop.execute(this::closeIdlest);
    return true;
  }

  private void closeIdlest() {
    long now = System.nanoTime();
    ServerFlow idlest = null;
    for (ServerFlow flow : flows.values()) {
      if (idlest == null || flow.idleNanos(now) > idlest.idleNanos(now)) {
        idlest = flow;
      }
    }
    if (owedFlows.get() == 0 || idlest == null) {
      return; // a flow that closed meanwhile paid for it
    }
    flows.remove(idlest.id());
    closeFlow(idlest, DropCause.FLOW_LIMIT);
    refused.remember(idlest.id(), DropCause.FLOW_LIMIT);
    peer.send(new CloseFrame(idlest.id(), FlowCloseReason.FLOW_LIMIT));
    nat.log()
        .warn(
            "{}: {} closed: the server's flows are all taken, and this session held more"
                + " than its share",
            peer,
            idlest);
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
      lastActiveNanos = System.nanoTime();
      nat.reply(replies, peer);
      replies = new ArrayList<>();
    }
  }

  void socketFailed(ServerFlow flow, Throwable cause) {
    if (flows.remove(flow.id()) == null) {
      return;
    }
    closeFlow(flow, DropCause.SEND_ERROR);
    refused.remember(flow.id(), DropCause.SEND_ERROR);
    nat.log()
        .warn(
            "{}: flow {} to {} failed: {}", peer, flow.id(), flow.destination(), cause.toString());
    peer.send(new CloseFrame(flow.id(), FlowCloseReason.SOCKET_ERROR));
  }

  private void expireIdle() {
    long now = System.nanoTime();
    for (ServerFlow flow : new ArrayList<>(flows.values())) {
      if (flow.idleNanos(now) > nat.idleTimeoutNanos()) {
        flows.remove(flow.id());
        closeFlow(flow, DropCause.UNKNOWN_FLOW);
        peer.send(new CloseFrame(flow.id(), FlowCloseReason.IDLE));
      }
    }
    reverse.expireIdle(now, nat.idleTimeoutNanos());
  }

  /**
   * The session ended: its slots of the server's flow limit are free at once, for clients that are
   * here; its flows and their sockets close on its loop right after.
   */
  void end() {
    ended = true;
    nat.flowTableEnded(this);
    nat.releaseFlowSlots(serverSlots.getAndSet(0));
    loop.execute(this::closeAll);
  }

  /** Counts what the kernel dropped at the sockets of flows that were read in the last second. */
  private void countReceiveDrops() {
    for (ServerFlow flow : flows.values()) {
      dropped(DropCause.RECEIVE_BUFFER_FULL, flow.receiveDrops());
    }
    reverse.countReceiveDrops();
  }

  private void closeAll() {
    sweeper.cancel(false);
    dropCheck.cancel(false);
    for (ServerFlow flow : flows.values()) {
      closeFlow(flow, DropCause.CONNECTION_LOST);
    }
    flows.clear();
    reverse.closeAll();
  }

  @Override
  public String toString() {
    return "session " + id;
  }
}
