package io.sudp.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.sudp.ops.RateLimitedLog;
import io.sudp.ops.Refusal;
import io.sudp.ops.TrafficCounters;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * Every TCP connection the server accepts, from the moment it is accepted (before a TLS handshake,
 * which the HTTP layer never sees) until its WebSocket upgrade succeeds: such a connection costs a
 * file descriptor and buffers (a TLS record it has begun, up to 16 KiB) while proving nothing. Each
 * is closed if it has not upgraded within the timeout, and at most {@code max} wait at once: a new
 * one beyond that closes one that waits, the oldest of the address that has the most waiting (a
 * real client upgrades within milliseconds, and one address flooding the table evicts its own). A
 * connection whose password is being checked has shown a real request: it is not evicted, only
 * timed out. Sits in the listening socket's pipeline, where accepted connections pass.
 *
 * <p>Connections are counted by their client's address ({@link ClientAddress}): the TCP peer's, or,
 * where the server takes the PROXY protocol from trusted proxies, the source the proxy's header
 * names, from the moment it is read (until then, the proxy's). A client named in an HTTP header is
 * known only once its request is read; a proxy such as nginx connects only with a whole request in
 * hand, so its connections do not wait here without one.
 */
@ChannelHandler.Sharable // a server that is stopped and started again binds a new socket
final class AcceptGate extends ChannelInboundHandlerAdapter {
  private static final class Waiting {
    String source;
    ScheduledFuture<?> timeout;
    boolean evictable = true;
    boolean secured;
    boolean awaitsProxyHeader;

    Waiting(String source) {
      this.source = source;
    }
  }

  /** Set on every connection the gate has taken in, waiting or not any more. */
  private static final AttributeKey<Boolean> SEEN = AttributeKey.valueOf("sudp.accept-gate.seen");

  private final int max;
  private final long timeoutMillis;
  private final boolean tls;
  private final ClientAddressRule clients;
  private final TrafficCounters counters;
  private final RateLimitedLog log = new RateLimitedLog(LoggerFactory.getLogger(AcceptGate.class));
  private final Map<Channel, Waiting> waiting = new LinkedHashMap<>(); // oldest first
  private final Map<String, Integer> evictableBySource = new HashMap<>();
  private int evictable;

  /**
   * @param tls whether connections begin with a TLS handshake: one that ends before it completed is
   *     counted as a failed TLS handshake (a client that does not trust the certificate often just
   *     closes)
   * @param clients whose connections begin with a PROXY header naming their client
   */
  AcceptGate(
      int max,
      long timeoutMillis,
      boolean tls,
      ClientAddressRule clients,
      TrafficCounters counters) {
    this.max = max;
    this.timeoutMillis = timeoutMillis;
    this.tls = tls;
    this.clients = clients;
    this.counters = counters;
  }

  long timeoutMillis() {
    return timeoutMillis;
  }

  /**
   * Puts the gate in front of the listening socket {@code server}, and returns once it is there. A
   * handler added from another thread sees nothing until the socket's event loop has run the
   * addition, and that loop handles a pending accept before its queued tasks: a client connecting
   * right after the server said it listens would pass by the gate, and a trusted proxy's PROXY
   * header would reach the HTTP decoder.
   */
  void guard(Channel server) {
    Runnable add = () -> server.pipeline().addFirst("sudp-accept-gate", this);
    if (server.eventLoop().inEventLoop()) {
      add.run();
    } else {
      server.eventLoop().submit(add).syncUninterruptibly();
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object message) {
    if (!(message instanceof Channel accepted)) {
      ctx.fireChannelRead(message);
      return;
    }
    accepted.attr(SEEN).set(Boolean.TRUE); // before the connection is registered, reads, or ends
    ClientAddress peer = ClientAddress.peer(accepted.remoteAddress());
    ClientAddress.set(accepted, peer);
    Waiting entry = new Waiting(peer.key());
    if (clients.readsProxyHeader(peer.address())) {
      entry.awaitsProxyHeader = true;
      ProxyHeaderReader.install(accepted, this);
    }
    admit(accepted, entry, ctx.executor());
    ctx.fireChannelRead(accepted);
  }

  private void admit(Channel connection, Waiting entry, EventExecutor timer) {
    Channel evicted;
    synchronized (this) {
      evicted = evictable >= max ? victim() : null;
      waiting.put(connection, entry);
      count(entry.source, 1);
      entry.timeout =
          timer.schedule(() -> expire(connection), timeoutMillis, TimeUnit.MILLISECONDS);
    }
    connection.closeFuture().addListener(closed -> closedWhileWaiting(connection));
    if (evicted != null) {
      counters.refused(Refusal.TOO_MANY_HANDSHAKES);
      log.warn(
          "{}: closed: it waited longest of the address with the most of {} connections not"
              + " upgraded (max-handshakes)",
          ClientAddress.of(evicted),
          max);
      evicted.close();
    }
  }

  /** The oldest evictable connection of the address with the most of them; taken out. */
  private Channel victim() {
    String busiest = null;
    for (Map.Entry<String, Integer> source : evictableBySource.entrySet()) {
      if (busiest == null || source.getValue() > evictableBySource.get(busiest)) {
        busiest = source.getKey();
      }
    }
    for (Map.Entry<Channel, Waiting> entry : waiting.entrySet()) {
      Waiting candidate = entry.getValue();
      if (candidate.evictable && candidate.source.equals(busiest)) {
        leave(entry.getKey());
        return entry.getKey();
      }
    }
    return null;
  }

  /**
   * The connection reached HTTP: its TLS handshake, if any, completed. One the gate has not seen
   * was accepted in the moment between the server's bind and the gate's place in front of it (a
   * fleet of clients reconnecting to a restarted server arrives just then): it is taken in now,
   * with its full timeout, rather than left waiting for an answer that never comes.
   */
  void secured(Channel connection) {
    if (connection.attr(SEEN).setIfAbsent(Boolean.TRUE) == null) {
      Waiting entry = new Waiting(ClientAddress.of(connection).key());
      entry.secured = true;
      admit(connection, entry, connection.eventLoop());
      return;
    }
    synchronized (this) {
      Waiting entry = waiting.get(connection);
      if (entry != null) {
        entry.secured = true;
      }
    }
  }

  /**
   * A trusted proxy's PROXY header named the connection's client: from now on the connection counts
   * as that client's.
   */
  void identified(Channel connection, ClientAddress client) {
    ClientAddress.set(connection, client);
    synchronized (this) {
      Waiting entry = waiting.get(connection);
      if (entry == null) {
        return;
      }
      entry.awaitsProxyHeader = false;
      if (entry.evictable) {
        count(entry.source, -1);
        count(client.key(), 1);
      }
      entry.source = client.key();
    }
  }

  /**
   * A trusted proxy's connection began with something that is no PROXY header (or one over the
   * bound): it is closed, and counted as it closes. Logged without what it sent, which may be a
   * client's request.
   */
  void noProxyHeader(Channel connection) {
    log.warn(
        "{}: no valid PROXY protocol header from a trusted proxy; closed",
        ClientAddress.of(connection));
  }

  /** The connection's request is being checked (its password): it may time out, not be evicted. */
  synchronized void checking(Channel connection) {
    Waiting entry = waiting.get(connection);
    if (entry != null && entry.evictable) {
      entry.evictable = false;
      count(entry.source, -1);
    }
  }

  /** False once the connection was closed for waiting too long, or to make room. */
  synchronized boolean isWaiting(Channel connection) {
    return waiting.containsKey(connection);
  }

  /**
   * The connection's handshake is over: upgraded, refused (and being closed) or closed. It no
   * longer counts as waiting, nor can it be closed or counted again for waiting.
   */
  void finished(Channel connection) {
    Waiting entry;
    synchronized (this) {
      entry = leave(connection);
    }
    if (entry != null && entry.timeout != null) {
      entry.timeout.cancel(false);
    }
  }

  /**
   * The peer closed before upgrading (or was closed for its PROXY header): before its PROXY header,
   * that is a failed one; before its TLS handshake completed, a failed TLS handshake.
   */
  private void closedWhileWaiting(Channel connection) {
    Waiting entry;
    synchronized (this) {
      entry = leave(connection);
    }
    if (entry == null) {
      return; // finished, timed out or evicted before: counted then
    }
    entry.timeout.cancel(false);
    if (entry.awaitsProxyHeader) {
      counters.refused(Refusal.PROXY_HEADER);
    } else if (tls && !entry.secured) {
      counters.refused(Refusal.TLS);
    }
  }

  private void expire(Channel connection) {
    synchronized (this) {
      if (leave(connection) == null) {
        return;
      }
    }
    counters.refused(Refusal.HANDSHAKE_TIMEOUT);
    log.warn(
        "{}: no WebSocket upgrade within {} ms; closing",
        ClientAddress.of(connection),
        timeoutMillis);
    connection.close();
  }

  /** Connections accepted and not upgraded yet. */
  synchronized int pending() {
    return waiting.size();
  }

  private Waiting leave(Channel connection) {
    Waiting entry = waiting.remove(connection);
    if (entry != null && entry.evictable) {
      count(entry.source, -1);
    }
    return entry;
  }

  private void count(String source, int change) {
    evictable += change;
    evictableBySource.merge(source, change, (now, delta) -> now + delta == 0 ? null : now + delta);
  }
}
