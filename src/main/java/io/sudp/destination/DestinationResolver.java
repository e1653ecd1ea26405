package io.sudp.destination;

import io.netty.channel.EventLoop;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProvider;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.NoopAuthoritativeDnsServerCache;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.NoopDnsCnameCache;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.util.concurrent.Future;
import io.sudp.udp.DatagramSockets;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves the host names clients ask for, on the event loop that asked, with nothing cached: the
 * names come from clients, and a cache would keep whatever an attacker's DNS server answers for as
 * long as it says (tens of thousands of names and their records fill a heap). A flow resolves its
 * name once, so nothing is lost by asking each time. One resolver (one UDP socket) per loop, closed
 * with it.
 */
public final class DestinationResolver {
  private final DatagramSockets transport;
  private final DnsServerAddressStreamProvider servers;
  private final long queryTimeoutMillis;
  private final Map<EventLoop, DnsNameResolver> byLoop = new ConcurrentHashMap<>();

  /**
   * @param servers the DNS servers to ask; empty for the system's ({@code /etc/resolv.conf})
   */
  public DestinationResolver(
      DatagramSockets transport, List<InetSocketAddress> servers, Duration timeout) {
    this.transport = transport;
    this.servers =
        servers.isEmpty()
            ? DnsServerAddressStreamProviders.platformDefault()
            : new SequentialDnsServerAddressStreamProvider(servers);
    this.queryTimeoutMillis = timeout.toMillis();
  }

  /** The address of {@code host}; the future completes on {@code loop}. */
  public Future<InetAddress> resolve(EventLoop loop, String host) {
    return byLoop.computeIfAbsent(loop, this::resolverOn).resolve(host);
  }

  private DnsNameResolver resolverOn(EventLoop loop) {
    return new DnsNameResolverBuilder(loop)
        .channelFactory(transport::datagramChannel)
        .nameServerProvider(servers)
        .resolveCache(NoopDnsCache.INSTANCE)
        .cnameCache(NoopDnsCnameCache.INSTANCE)
        .authoritativeDnsServerCache(NoopAuthoritativeDnsServerCache.INSTANCE)
        .queryTimeoutMillis(queryTimeoutMillis)
        .build();
  }
}
