package io.sudp.client;

import io.netty.channel.Channel;
import io.sudp.ops.DebugTrace;
import io.sudp.protocol.CloseFrame;
import io.sudp.protocol.FlowCloseReason;
import io.sudp.protocol.Frame;
import io.sudp.protocol.Limits;
import io.sudp.protocol.OutboundOpen;
import io.sudp.transport.FrameSender;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The client's flow table: every flow of every tunnel, by the id it has on the wire. Ids are never
 * reused while the process runs, so a late reply can never reach a newer flow.
 */
public final class ClientFlows {
  private final Map<Integer, ClientFlow> byId = new ConcurrentHashMap<>();
  private final AtomicInteger lastId;
  private final FrameSender server;
  private final LongSupplier nanoClock;

  /**
   * @param ids the numbering of flows, shared by every connection of a client so that an id names
   *     one flow in the whole client
   */
  public ClientFlows(FrameSender server, AtomicInteger ids) {
    this(server, ids, System::nanoTime);
  }

  /**
   * As the public constructor, with flows idling on {@code nanoClock}'s time instead of the JVM's.
   */
  ClientFlows(FrameSender server, AtomicInteger ids, LongSupplier nanoClock) {
    this.server = server;
    this.lastId = ids;
    this.nanoClock = nanoClock;
  }

  ClientFlow open(ClientTunnel tunnel, InetSocketAddress sender, Channel listener) {
    // 0 is reserved on the wire, ids with the top bit set are the server's (version 2)
    int id = lastId.incrementAndGet() & ~Limits.REVERSE_FLOW_BIT;
    if (id == 0) {
      id = lastId.incrementAndGet() & ~Limits.REVERSE_FLOW_BIT;
    }
    ClientFlow flow = new ClientFlow(id, tunnel, sender, listener, nanoClock);
    byId.put(id, flow);
    DebugTrace.flow(
        "tunnel {}: flow {} opened for {} -> {}", tunnel.name(), id, sender, tunnel.destination());
    server.send(new OutboundOpen(id, tunnel.destination(), flow.upstream()), null);
    return flow;
  }

  ClientFlow get(int id) {
    return byId.get(id);
  }

  /** Forgets a flow the server closed; the next datagram of its sender opens a new one. */
  void remove(ClientFlow flow) {
    if (byId.remove(flow.id(), flow)) {
      DebugTrace.flow(
          "tunnel {}: flow {} of {} closed", flow.tunnel().name(), flow.id(), flow.sender());
    }
    flow.tunnel().forget(flow);
  }

  public int size() {
    return byId.size();
  }

  /** The frames that re-open every live flow on a new connection. */
  public List<Frame> reopenFrames() {
    List<Frame> frames = new ArrayList<>(byId.size());
    for (ClientFlow flow : byId.values()) {
      if (!flow.refused()) {
        frames.add(new OutboundOpen(flow.id(), flow.tunnel().destination(), flow.upstream()));
      }
    }
    return frames;
  }

  /** The server started a new session: its replies are numbered from 0 again. */
  void serverStartedOver() {
    for (ClientFlow flow : byId.values()) {
      flow.downstreamGaps().restart(0);
    }
  }

  /** Ends a flow here and tells the server, which frees its socket. */
  void close(ClientFlow flow) {
    remove(flow);
    if (!flow.refused()) {
      server.send(new CloseFrame(flow.id(), FlowCloseReason.NORMAL), null);
    }
  }

  /** One line per flow: id, tunnel, local sender, destination, seconds idle. */
  public List<String> describe() {
    long now = nanoClock.getAsLong();
    List<String> lines = new ArrayList<>();
    for (ClientFlow flow : byId.values()) {
      lines.add(
          "flow "
              + flow.id()
              + ": "
              + flow.tunnel()
              + ", "
              + flow.sender()
              + " -> "
              + flow.tunnel().destination()
              + ", idle "
              + java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(flow.idleNanos(now))
              + " s"
              + (flow.refused() ? " (refused by the server)" : ""));
    }
    return lines;
  }

  /** Ends one flow, as if it had idled out; false if there is no such flow. */
  public boolean close(int id) {
    ClientFlow flow = byId.get(id);
    if (flow == null) {
      return false;
    }
    close(flow);
    return true;
  }

  /** Closes flows idle for longer than their tunnel's timeout and tells the server. */
  public void expireIdle() {
    long now = nanoClock.getAsLong();
    for (ClientFlow flow : byId.values()) {
      if (flow.idleNanos(now) > flow.tunnel().idleTimeoutNanos()) {
        close(flow);
      }
    }
  }
}
