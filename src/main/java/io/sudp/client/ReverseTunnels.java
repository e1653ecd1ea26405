package io.sudp.client;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.util.NetUtil;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import io.sudp.destination.DestinationPolicy;
import io.sudp.destination.DestinationResolver;
import io.sudp.ops.DebugTrace;
import io.sudp.ops.DropCause;
import io.sudp.ops.ProtocolViolation;
import io.sudp.ops.RateLimitedLog;
import io.sudp.ops.Refusal;
import io.sudp.ops.Traffic;
import io.sudp.ops.TrafficCounters;
import io.sudp.protocol.AcceptFrame;
import io.sudp.protocol.CloseFrame;
import io.sudp.protocol.DataFrame;
import io.sudp.protocol.Destination;
import io.sudp.protocol.FlowCloseReason;
import io.sudp.protocol.Frame;
import io.sudp.protocol.ListenFrame;
import io.sudp.protocol.ListenResult;
import io.sudp.protocol.ListenResultFrame;
import io.sudp.protocol.OutboundData;
import io.sudp.protocol.ProtocolVersion;
import io.sudp.transport.FrameSender;
import io.sudp.transport.PeerConnection;
import io.sudp.udp.DatagramOut;
import io.sudp.udp.DatagramSockets;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reverse tunnels a client offers its server (protocol version 2): asked for again on every
 * connection, each listener's result logged when it changes, and the reverse flows the server opens
 * carried to the tunnels' destinations, if {@code reverse-allow} permits them (judged after name
 * resolution), at most {@code client.reverse-max-flows} at once. Frames are handled on the
 * connection's event loop, which also runs the flows' sockets; the idle sweep hops onto it.
 */
public final class ReverseTunnels {
  /** Destination names resolving at once; more flows are refused meanwhile. */
  static final int MAX_RESOLVING = 8;

  /**
   * How long a listener refused for a port that may come free (another session holds it, the system
   * would not bind it) waits before it is asked for again on the same connection.
   */
  static final long RETRY_SECONDS = 5;

  private static final Logger LOG = LoggerFactory.getLogger(ReverseTunnels.class);

  private final List<ReverseTunnel> tunnels;
  private final DestinationPolicy policy;
  private final int maxFlows;
  private final FrameSender server;
  private final TrafficCounters counters;
  private final DatagramSockets sockets;
  private final DestinationResolver resolver;
  private final ListenResult[] results;
  private final boolean[] retrying;
  private final Traffic[] traffic;
  private final IntObjectMap<ReverseClientFlow> flows = new IntObjectHashMap<>();
  private final Set<DatagramOut> unflushed = new LinkedHashSet<>();
  private final RateLimitedLog refusals = new RateLimitedLog(LOG);
  private final ChannelFutureListener countSendFailure;
  private volatile EventLoop loop;
  private volatile boolean warnedVersionOne;
  private int resolving;

  /**
   * @param tunnels the reverse tunnels, whose listen ids are their positions from 1
   * @param policy what {@code reverse-allow} permits
   * @param maxFlows reverse flows carried at once; more are refused ({@code flow limit})
   */
  public ReverseTunnels(
      List<ReverseTunnel> tunnels,
      DestinationPolicy policy,
      int maxFlows,
      FrameSender server,
      TrafficCounters counters,
      DatagramSockets sockets,
      DestinationResolver resolver) {
    this.tunnels = List.copyOf(tunnels);
    this.policy = policy;
    this.maxFlows = maxFlows;
    this.server = server;
    this.counters = counters;
    this.sockets = sockets;
    this.resolver = resolver;
    this.results = new ListenResult[tunnels.size()];
    this.retrying = new boolean[tunnels.size()];
    this.traffic = new Traffic[tunnels.size()];
    for (int i = 0; i < traffic.length; i++) {
      traffic[i] = new Traffic();
    }
    this.countSendFailure =
        future -> {
          if (!future.isSuccess()) {
            counters.drop(DropCause.SEND_ERROR);
          }
        };
  }

  /**
   * No reverse tunnel: a connection to a tunnel's own server, which answers every ACCEPT with
   * {@code unknown listener}.
   */
  public static ReverseTunnels none(FrameSender server, TrafficCounters counters) {
    return new ReverseTunnels(List.of(), null, 0, server, counters, null, null);
  }

  public boolean isEmpty() {
    return tunnels.isEmpty();
  }

  /** What each reverse tunnel carried, by name: for its meters. */
  public Map<String, Traffic> trafficByTunnel() {
    Map<String, Traffic> byName = new LinkedHashMap<>();
    for (int i = 0; i < tunnels.size(); i++) {
      byName.put(tunnels.get(i).name(), traffic[i]);
    }
    return byName;
  }

  /** Reverse flows carried now. */
  public int flowCount() {
    return flows.size();
  }

  /**
   * The LISTEN frames for a new connection of {@code version}; none, logged once and counted, where
   * the server speaks only version 1.
   */
  public List<Frame> listenFrames(ProtocolVersion version) {
    if (tunnels.isEmpty()) {
      return List.of();
    }
    // What an earlier connection's server answered says nothing about this one's.
    Arrays.fill(results, version.hasReverseTunnels() ? null : ListenResult.NOT_OFFERED);
    if (!version.hasReverseTunnels()) {
      counters.refused(Refusal.REVERSE_LISTEN);
      if (!warnedVersionOne) {
        warnedVersionOne = true;
        LOG.warn(
            "server speaks {} only: reverse tunnels need {}; {} not offered, forward tunnels"
                + " carry on",
            version.subprotocol(),
            ProtocolVersion.V2.subprotocol(),
            names());
      }
      return List.of();
    }
    warnedVersionOne = false;
    List<Frame> frames = new ArrayList<>(tunnels.size());
    for (int i = 0; i < tunnels.size(); i++) {
      frames.add(listenFrame(i));
    }
    return frames;
  }

  private ListenFrame listenFrame(int index) {
    ReverseTunnel tunnel = tunnels.get(index);
    return new ListenFrame(index + 1, tunnel.remoteHost(), tunnel.remotePort());
  }

  /**
   * Asks for a refused listener again in {@link #RETRY_SECONDS}, once at a time: a port another
   * session holds comes free when that session ends (one of this client's, before a restart, waits
   * to be resumed for the server's {@code resume-timeout}).
   */
  private void retryLater(int index, EventLoop on) {
    if (retrying[index]) {
      return;
    }
    retrying[index] = true;
    on.schedule(
        () -> {
          retrying[index] = false;
          server.send(listenFrame(index), null);
        },
        RETRY_SECONDS,
        TimeUnit.SECONDS);
  }

  private String names() {
    return tunnels.stream().map(ReverseTunnel::name).toList().toString();
  }

  /** The result of a listener the client asked for; logged when it changes. */
  public void listenResult(ListenResultFrame frame, PeerConnection peer) {
    int index = frame.listenId() - 1;
    if (index < 0 || index >= tunnels.size()) {
      peer.violated(
          ProtocolViolation.MALFORMED,
          "a LISTEN-RESULT for listener " + frame.listenId() + ", which was never asked for");
      return;
    }
    ReverseTunnel tunnel = tunnels.get(index);
    ListenResult result = frame.result();
    boolean mayComeFree = result == ListenResult.IN_USE || result == ListenResult.CANNOT_BIND;
    if (result != ListenResult.LISTENING) {
      counters.refused(Refusal.REVERSE_LISTEN);
    }
    if (mayComeFree) {
      retryLater(index, peer.loop());
    }
    if (result == results[index]) {
      return;
    }
    results[index] = result;
    if (result == ListenResult.LISTENING) {
      LOG.info(
          "reverse tunnel {}: the server listens on port {}, for {}",
          tunnel.name(),
          frame.port(),
          tunnel.destination());
    } else {
      LOG.warn(
          "reverse tunnel {}: the server refused port {}: {}; asking again {}",
          tunnel.name(),
          tunnel.remoteListen(),
          result.reason(),
          mayComeFree ? "every " + RETRY_SECONDS + " s" : "on the next connection");
    }
  }

  /** The last result the server gave for each reverse tunnel (null: none yet), by name. */
  public List<String> describe() {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < tunnels.size(); i++) {
      ReverseTunnel tunnel = tunnels.get(i);
      lines.add(
          "reverse tunnel "
              + tunnel.name()
              + ": server port "
              + tunnel.remoteListen()
              + " -> "
              + tunnel.destination()
              + ", "
              + (results[i] == null ? "not answered yet" : results[i].reason()));
    }
    return lines;
  }

  /** Each reverse tunnel: its server port, destination, the server's last answer, its traffic. */
  public JsonArray toJson() {
    JsonArray array = new JsonArray();
    for (int i = 0; i < tunnels.size(); i++) {
      ReverseTunnel tunnel = tunnels.get(i);
      array.add(
          new JsonObject()
              .put("name", tunnel.name())
              .put("remoteListen", tunnel.remoteListen())
              .put("destination", tunnel.destination().toString())
              .put("server", results[i] == null ? null : results[i].reason())
              .put("traffic", traffic[i].toJson()));
    }
    return array;
  }

  /** A new sender at one of the client's listeners: judged, then given a socket. */
  public void accept(AcceptFrame accept, PeerConnection peer) {
    loop = peer.loop();
    if (flows.containsKey(accept.flowId())) {
      peer.violated(
          ProtocolViolation.MALFORMED,
          "reverse flow " + Integer.toUnsignedString(accept.flowId()) + " accepted twice");
      return;
    }
    int index = accept.listenId() - 1;
    if (index < 0 || index >= tunnels.size()) {
      refuse(accept.flowId(), FlowCloseReason.UNKNOWN_LISTENER, DropCause.UNKNOWN_FLOW);
      return;
    }
    if (results[index] != null && results[index] != ListenResult.LISTENING) {
      // A listener the server refused on this connection has no senders to carry. (Not answered
      // yet is fine: a resumed session's listener may pass a sender on before it answers again.)
      refuse(accept.flowId(), FlowCloseReason.UNKNOWN_LISTENER, DropCause.UNKNOWN_FLOW);
      return;
    }
    ReverseTunnel tunnel = tunnels.get(index);
    Destination destination = tunnel.destination();
    boolean byName = !destination.isAddressLiteral();
    if (flows.size() >= maxFlows || (byName && resolving >= MAX_RESOLVING)) {
      refuse(accept.flowId(), FlowCloseReason.FLOW_LIMIT, DropCause.FLOW_LIMIT);
      refusals.warn(
          "reverse tunnel {}: flow from {} refused: the client carries its maximum of {} reverse"
              + " flows",
          tunnel.name(),
          accept.peer(),
          maxFlows);
      return;
    }
    ReverseClientFlow flow =
        new ReverseClientFlow(
            accept.flowId(),
            tunnel,
            traffic[index],
            accept.peer().toString(),
            accept.firstSeq(),
            this);
    flows.put(flow.id(), flow);
    DebugTrace.flow("{} opened", flow);
    if (!byName) {
      connect(flow, NetUtil.createInetAddressFromIpAddressString(destination.host()));
      return;
    }
    resolving++;
    resolver
        .resolve(peer.loop(), destination.host())
        .addListener(
            result -> {
              resolving--;
              if (flows.get(flow.id()) != flow) {
                return; // closed meanwhile
              }
              if (result.isSuccess()) {
                connect(flow, (InetAddress) result.getNow());
              } else {
                end(flow, FlowCloseReason.UNRESOLVABLE, DropCause.UNRESOLVABLE);
                refusals.warn(
                    "reverse tunnel {}: destination {} did not resolve",
                    tunnel.name(),
                    destination);
              }
            });
  }

  private void connect(ReverseClientFlow flow, InetAddress address) {
    Destination destination = flow.tunnel().destination();
    if (!policy.permits(destination.host(), address, destination.port())) {
      end(flow, FlowCloseReason.FORBIDDEN, DropCause.FORBIDDEN);
      refusals.warn(
          "reverse tunnel {}: destination {} ({}) refused: not on client.reverse-allow",
          flow.tunnel().name(),
          destination,
          address.getHostAddress());
      return;
    }
    DatagramChannel channel;
    try {
      channel =
          sockets.datagramChannel(
              address instanceof Inet6Address
                  ? InternetProtocolFamily.IPv6
                  : InternetProtocolFamily.IPv4);
    } catch (RuntimeException e) { // no file descriptor left, for one
      socketFailed(flow, e);
      return;
    }
    // Netty reads 2,048 bytes per datagram by default: a larger reply would be cut.
    channel
        .config()
        .setOption(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(65_536));
    channel.pipeline().addLast(flow);
    InetSocketAddress remote = new InetSocketAddress(address, destination.port());
    DatagramSockets.registerAndBind(
        loop,
        channel,
        new InetSocketAddress(address instanceof Inet6Address ? "::" : "0.0.0.0", 0),
        bound -> flow.opened(bound, remote),
        cause -> socketFailed(flow, cause));
  }

  /** A datagram from the server for a reverse flow. */
  public void data(DataFrame data) {
    ReverseClientFlow flow = flows.get(data.flowId());
    if (flow == null) {
      counters.drop(DropCause.UNKNOWN_FLOW);
      return;
    }
    flow.fromServer(data.seq(), data.payload());
  }

  /** The server ended a reverse flow. */
  public void closed(CloseFrame close) {
    ReverseClientFlow flow = flows.remove(close.flowId());
    if (flow != null) {
      flow.close(DropCause.UNKNOWN_FLOW);
    }
  }

  /**
   * The server started a new session (it restarted, or forgot this client): its listeners and
   * reverse flows are gone, so are they here; the LISTEN frames of this connection ask again.
   */
  public void serverStartedOver() {
    for (ReverseClientFlow flow : new ArrayList<>(flows.values())) {
      flows.remove(flow.id());
      flow.close(DropCause.CONNECTION_LOST);
    }
  }

  /** Sends what this message's datagrams wrote, one batch per flow socket. */
  public void flushWrites() {
    unflushed.forEach(DatagramOut::flush);
    unflushed.clear();
  }

  void flushAfterMessage(DatagramOut out) {
    unflushed.add(out);
  }

  /** Ends reverse flows idle for longer than their tunnel's timeout, and tells the server. */
  public void expireIdle() {
    EventLoop owner = loop;
    if (owner == null) {
      return;
    }
    owner.execute(
        () -> {
          long now = System.nanoTime();
          for (ReverseClientFlow flow : new ArrayList<>(flows.values())) {
            if (flow.idleNanos(now) > flow.tunnel().idleTimeout().toNanos()) {
              end(flow, FlowCloseReason.IDLE, DropCause.UNKNOWN_FLOW);
            }
          }
        });
  }

  /** Closes every reverse flow; on shutdown. */
  public void closeAll() {
    EventLoop owner = loop;
    if (owner != null) {
      owner.execute(this::serverStartedOver);
    }
  }

  TrafficCounters counters() {
    return counters;
  }

  ChannelFutureListener countSendFailure() {
    return countSendFailure;
  }

  void toServer(OutboundData reply) {
    server.send(reply, null);
  }

  void socketFailed(ReverseClientFlow flow, Throwable cause) {
    if (flows.get(flow.id()) == flow) {
      end(flow, FlowCloseReason.SOCKET_ERROR, DropCause.SEND_ERROR);
      refusals.warn("{}: socket failed: {}", flow, cause.toString());
    }
  }

  private void end(ReverseClientFlow flow, FlowCloseReason reason, DropCause cause) {
    flows.remove(flow.id());
    flow.close(cause);
    if (reason != FlowCloseReason.IDLE) {
      flow.dropped(cause, 1); // the datagram that opened it, or the one it failed to send
    }
    server.send(new CloseFrame(flow.id(), reason), null);
  }

  private void refuse(int flowId, FlowCloseReason reason, DropCause cause) {
    counters.drop(cause);
    server.send(new CloseFrame(flowId, reason), null);
  }
}
