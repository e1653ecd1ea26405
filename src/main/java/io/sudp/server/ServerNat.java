package io.sudp.server;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.sudp.destination.AllowRule;
import io.sudp.destination.DestinationPolicy;
import io.sudp.destination.DestinationResolver;
import io.sudp.destination.OwnAddresses;
import io.sudp.ops.DropCause;
import io.sudp.ops.ProtocolViolation;
import io.sudp.ops.RateLimitedLog;
import io.sudp.ops.Slots;
import io.sudp.ops.Traffic;
import io.sudp.ops.TrafficCounters;
import io.sudp.protocol.CloseFrame;
import io.sudp.protocol.DataFrame;
import io.sudp.protocol.Frame;
import io.sudp.protocol.ListenFrame;
import io.sudp.protocol.OpenFrame;
import io.sudp.protocol.OutboundData;
import io.sudp.protocol.UnlistenFrame;
import io.sudp.transport.FeedSink;
import io.sudp.transport.PeerConnection;
import io.sudp.transport.QueueBudget;
import io.sudp.transport.RouteFeed;
import io.sudp.udp.DatagramSockets;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.LoggerFactory;

/**
 * The server's NAT: it applies each client's frames to that client's flows (open, send, close); as
 * a {@link RouteFeed} it feeds the replies from the flows' sockets into the return route. A
 * session's flows are its {@link ServerSession}'s flow table, reached through the connection that
 * carries it, and die with the session.
 */
public final class ServerNat implements RouteFeed {
  private final DatagramSockets sockets;
  private final List<AllowRule> allow;
  private final Map<String, UserBudget> users;
  private final OwnAddresses own;
  private final Map<String, DestinationPolicy> policies = new ConcurrentHashMap<>();
  private final int maxFlowsPerConnection;
  private final Slots flowSlots;
  private final Slots resolutions;
  private final long resolveTimeoutNanos;
  private volatile BooleanSupplier reclaim = () -> false;
  private volatile BooleanSupplier roomForFlow = () -> true;
  private final QueueBudget budget;
  private final DestinationResolver resolver;
  private final long idleTimeoutNanos;
  private final TrafficCounters counters;
  private final Set<ClientSession> flowTables = ConcurrentHashMap.newKeySet();
  private final Map<String, Traffic> byUser = new ConcurrentHashMap<>();
  private volatile java.util.function.BiConsumer<String, Traffic> newUser = (user, traffic) -> {};
  private final RateLimitedLog log = new RateLimitedLog(LoggerFactory.getLogger(ServerNat.class));
  private final UserBudget unnamedUser = new UserBudget(UserLimits.NONE);

  /** The user name of clients of a server without authentication, in status and metrics. */
  public static final String ANONYMOUS = "-";

  /** How long a session must have carried nothing before it gives a flow to a smaller one. */
  static final long IDLE_TO_YIELD_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);

  private final DestinationPolicy everyone;
  private final ReverseSettings reverse;
  private final Map<Integer, ReverseListeners> reversePorts = new ConcurrentHashMap<>();
  private final AtomicInteger reverseListening = new AtomicInteger();
  private volatile FeedSink replies;

  /**
   * @param allow the allowlist for everyone
   * @param users limits and extra allowlist entries by user name, as configured: each user gets a
   *     budget of its own here
   * @param own the host's own addresses, which the allowlist must name to reach
   * @param limits flows per connection and on the whole server, host names resolving at once on the
   *     server and how long each may take, how long a flow may idle
   * @param budget what messages waiting for another event loop may hold, with the outbound queues
   * @param dnsServers the DNS servers that resolve destination names; empty for the system's
   * @param reverse the ports clients may listen on with reverse tunnels, and where
   */
  public ServerNat(
      io.vertx.core.Vertx vertx,
      List<AllowRule> allow,
      Map<String, UserLimits> users,
      OwnAddresses own,
      FlowLimits limits,
      QueueBudget budget,
      List<InetSocketAddress> dnsServers,
      TrafficCounters counters,
      ReverseSettings reverse) {
    this.reverse = reverse;
    this.sockets = DatagramSockets.on(vertx.nettyEventLoopGroup());
    this.allow = List.copyOf(allow);
    this.users =
        users.entrySet().stream()
            .collect(
                java.util.stream.Collectors.toUnmodifiableMap(
                    Map.Entry::getKey, user -> new UserBudget(user.getValue())));
    this.own = own;
    this.everyone = new DestinationPolicy(allow, own);
    this.budget = budget;
    this.maxFlowsPerConnection = limits.perConnection();
    this.flowSlots = new Slots(limits.onServer());
    this.resolutions = new Slots(limits.resolving());
    this.resolveTimeoutNanos = limits.resolveTimeout().toNanos();
    this.resolver = new DestinationResolver(sockets, dnsServers, limits.resolveTimeout());
    this.idleTimeoutNanos = limits.idleTimeout().toNanos();
    this.counters = counters;
  }

  /**
   * What ends a session waiting to be resumed when the server's flows are all taken, so that its
   * flows go to a client that is here; it answers false when no session was waiting.
   */
  public void reclaimFlowsWith(BooleanSupplier endLongestWaitingSession) {
    this.reclaim = endLongestWaitingSession;
  }

  /**
   * Applies the frames of one message from {@code peer} to its client session's flows, on the event
   * loop that owns them.
   */
  public void apply(PeerConnection peer, List<Frame> frames) {
    ClientSession session = sessionOf(peer);
    if (session == null) {
      return; // the session ended: what its connection still sent is not applied
    }
    if (session.loop().inEventLoop()) {
      applyIn(session, peer, frames);
    } else {
      // A resumed session whose new connection landed on another event loop: its flows stay on
      // the loop they were made on, so their state is never touched by two threads.
      ClientSession.Hop hop = session.admitHop(frames);
      session
          .loop()
          .execute(
              () -> {
                session.hopped(hop);
                applyIn(session, peer, hop.frames());
              });
    }
  }

  /**
   * The flow table of {@code peer}'s session, made on its first message; null if the session has
   * ended. The connection carries its own session, so a message never reaches a newer session of
   * the same id, which starts only after the end of this one has freed its flows.
   */
  private ClientSession sessionOf(PeerConnection peer) {
    return ((ServerSession) peer.carried()).flows(peer, this);
  }

  /** A new flow table for session {@code id}; counted in the fair share until it ends. */
  ClientSession flowTable(String id, PeerConnection peer) {
    ClientSession table = new ClientSession(id, peer, this);
    flowTables.add(table);
    return table;
  }

  /** The flow table of a session that ended no longer counts in the fair share. */
  void flowTableEnded(ClientSession table) {
    flowTables.remove(table);
  }

  /** The flow table of {@code peer}'s session, or null if it has none. */
  private static ClientSession flowsOf(PeerConnection peer) {
    return peer.carried() instanceof ServerSession session ? session.flows() : null;
  }

  private static void applyIn(ClientSession session, PeerConnection peer, List<Frame> frames) {
    session.connectedVia(peer);
    for (Frame frame : frames) {
      if (peer.isClosing()) {
        break; // it broke the protocol: what it sent after that is not applied
      } else if (frame instanceof DataFrame data) {
        session.data(data);
      } else if (frame instanceof OpenFrame open) {
        session.open(open);
      } else if (frame instanceof CloseFrame close) {
        session.close(close);
      } else if (frame instanceof ListenFrame listen) {
        session.listen(listen);
      } else if (frame instanceof UnlistenFrame unlisten) {
        session.reverse().unlisten(unlisten.listenId());
      } else {
        peer.violated(
            ProtocolViolation.MALFORMED,
            "a " + frame.getClass().getSimpleName() + ", which only servers send");
      }
    }
    session.flushWrites();
  }

  /** The flows of {@code peer}'s session, one line each. */
  public List<String> describeFlows(PeerConnection peer) {
    ClientSession found = flowsOf(peer);
    return found == null ? List.of() : onLoop(found, found::describeFlows);
  }

  /** Closes one flow of {@code peer}'s session (its socket is freed, the client told). */
  public boolean closeFlow(PeerConnection peer, int flowId) {
    ClientSession found = flowsOf(peer);
    return found != null && onLoop(found, () -> found.closeFlowByOperator(flowId));
  }

  /** Runs {@code action} on the session's loop, which owns its flows, and waits for it. */
  private static <T> T onLoop(ClientSession session, java.util.concurrent.Callable<T> action) {
    try {
      return session.loop().submit(action).get(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the session did not answer: " + e, e);
    }
  }

  /** Flows of {@code peer}'s session. */
  public int flowCount(PeerConnection peer) {
    ClientSession found = flowsOf(peer);
    return found == null ? 0 : found.flowCount();
  }

  /** Flows across all sessions (each holds a slot of the server's flow limit). */
  public int flowCount() {
    return flowSlots.used();
  }

  /** The server's flow limit: flows at once over all sessions. */
  public int maxFlows() {
    return flowSlots.max();
  }

  /**
   * What tells whether the process has file descriptors enough for one more flow's socket beside
   * what it must keep for connections (see the runtime's flow capacity).
   */
  public void checkDescriptorsWith(BooleanSupplier roomForFlow) {
    this.roomForFlow = roomForFlow;
  }

  /**
   * Takes a slot of the server's flow limit for a new flow of {@code requester}, where the process
   * has a file descriptor to spare for it. When there is none, sessions waiting to be resumed end
   * while that makes room; then, if {@code requester} holds less than its fair share (the limit
   * divided among the sessions), the session holding the most, past its share, gives one flow back.
   * False if none of that makes room: who holds more than its share pays, not a newcomer.
   */
  boolean takeFlowSlot(ClientSession requester) {
    boolean yielded = false;
    while (true) {
      if (flowSlots.tryTake()) {
        if (roomForFlow.getAsBoolean()) { // counts this flow: concurrent ones see each other
          return true;
        }
        flowSlots.release(1);
      }
      if (reclaim.getAsBoolean()) {
        continue;
      }
      if (yielded || !largestGivesWay(requester)) {
        return false;
      }
      yielded = true;
    }
  }

  /**
   * The session holding the most flows past its share gives one back, if it has been idle for
   * {@link #IDLE_TO_YIELD_NANOS}: sessions that carry traffic keep their flows (an attacker could
   * otherwise open sessions until the share is tiny and take a working client's flows).
   */
  private boolean largestGivesWay(ClientSession requester) {
    int fairShare = Math.max(1, flowSlots.max() / Math.max(1, flowTables.size()));
    if (requester.flowCount() >= fairShare) {
      return false;
    }
    long now = System.nanoTime();
    ClientSession largest = null;
    for (ClientSession session : flowTables) {
      if (session != requester
          && session.idleNanos(now) >= IDLE_TO_YIELD_NANOS
          && (largest == null || session.flowCount() > largest.flowCount())) {
        largest = session;
      }
    }
    return largest != null && largest.flowCount() > fairShare && largest.yieldFlow();
  }

  void releaseFlowSlots(int count) {
    flowSlots.release(count);
  }

  /** Host names resolving at once, over all sessions. */
  Slots resolutions() {
    return resolutions;
  }

  /** What messages waiting for another event loop hold, with the server's outbound queues. */
  QueueBudget budget() {
    return budget;
  }

  long resolveTimeoutNanos() {
    return resolveTimeoutNanos;
  }

  @Override
  public void open(FeedSink sink) {
    this.replies = sink;
  }

  @Override
  public void close() {
    this.replies = null;
  }

  void reply(List<OutboundData> burst, PeerConnection peer) {
    FeedSink sink = replies;
    if (sink == null) {
      burst.forEach(dropped -> counters.drop(DropCause.ROUTE_STOPPED));
      return;
    }
    sink.deliver(burst, peer);
  }

  /** The address of a destination's {@code host}, resolved on {@code loop}. */
  Future<InetAddress> resolve(EventLoop loop, String host) {
    return resolver.resolve(loop, host);
  }

  DatagramSockets transport() {
    return sockets;
  }

  /**
   * What {@code user}'s connections carried; clients without authentication count as {@value
   * #ANONYMOUS}.
   */
  /** What the configuration allows of reverse tunnels. */
  ReverseSettings reverse() {
    return reverse;
  }

  /** Takes {@code port} for {@code owner}'s listener; false when another session holds it. */
  boolean claimReversePort(int port, ReverseListeners owner) {
    return reversePorts.putIfAbsent(port, owner) == null;
  }

  void releaseReversePort(int port, ReverseListeners owner) {
    reversePorts.remove(port, owner);
  }

  /** Reverse listeners on the whole server whose socket is bound: datagrams reach them. */
  public int reverseListenerCount() {
    return reverseListening.get();
  }

  /** A reverse listener's socket was bound (+1) or one that was bound closed (-1). */
  void reverseListening(int change) {
    reverseListening.addAndGet(change);
  }

  Traffic trafficOf(String user) {
    String name = user == null ? ANONYMOUS : user;
    Traffic traffic = byUser.get(name);
    if (traffic != null) {
      return traffic;
    }
    return byUser.computeIfAbsent(
        name,
        key -> {
          Traffic made = new Traffic();
          newUser.accept(key, made);
          return made;
        });
  }

  /** Users seen so far with what they carried. */
  public Map<String, Traffic> trafficByUser() {
    return Map.copyOf(byUser);
  }

  /** Called once per user when its first connection arrives (to publish its meters). */
  public void onNewUser(java.util.function.BiConsumer<String, Traffic> listener) {
    this.newUser = listener;
    byUser.forEach(listener);
  }

  /** What {@code user} has left of its limits; users the configuration does not name share one. */
  UserBudget budgetOf(String user) {
    UserBudget budget = user == null ? null : users.get(user);
    return budget != null ? budget : unnamedUser;
  }

  /** The server's allowlist plus the entries scoped to {@code user}. */
  DestinationPolicy policyFor(String user) {
    UserBudget userBudget = budgetOf(user);
    if (userBudget.allow().isEmpty()) {
      return everyone;
    }
    return policies.computeIfAbsent(
        user,
        name -> {
          List<AllowRule> rules = new ArrayList<>(allow);
          rules.addAll(userBudget.allow());
          return new DestinationPolicy(rules, own);
        });
  }

  int maxFlowsPerConnection() {
    return maxFlowsPerConnection;
  }

  long idleTimeoutNanos() {
    return idleTimeoutNanos;
  }

  TrafficCounters counters() {
    return counters;
  }

  RateLimitedLog log() {
    return log;
  }
}
