package io.sudp.transport;

import io.netty.channel.Channel;
import io.sudp.ops.RateLimitedLog;
import io.sudp.ops.TrafficCounters;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Names the client of each request by the server's {@link ClientAddressRule}: the connection's peer
 * (or the source a trusted proxy's PROXY header gave, recorded when the connection began), or the
 * client a trusted proxy's {@code X-Forwarded-For} or {@code Forwarded} names. A header from a
 * trusted proxy that names no usable client is counted, logged at a bounded rate (never its
 * content), and the request is keyed by the proxy's address.
 */
final class ClientAddresses {
  private final ClientAddressRule rule;
  private final TrafficCounters counters;
  private final RateLimitedLog unusable =
      new RateLimitedLog(LoggerFactory.getLogger(WsServer.class));

  ClientAddresses(ClientAddressRule rule, TrafficCounters counters) {
    this.rule = rule;
    this.counters = counters;
  }

  ClientAddressRule rule() {
    return rule;
  }

  /** The client of {@code request}, recorded on its connection for what follows. */
  ClientAddress of(HttpServerRequest request) {
    Channel channel = VertxChannels.of(request.connection());
    ClientAddress peer = ClientAddress.of(channel);
    if (!rule.readsHeader(peer.address())) {
      return peer;
    }
    String header = rule.source().header();
    List<String> lines = request.headers().getAll(header);
    ForwardedHops.Found found =
        ForwardedHops.client(rule.source(), lines, rule.trustedProxies()::trusts);
    if (found.problem() != null) {
      counters.clientAddressFallback();
      unusable.warn(
          "{}: {} from a trusted proxy names no client ({}); counting the request as the"
              + " proxy's",
          peer,
          header,
          found.problem().label());
      return peer;
    }
    ClientAddress client = peer.forwarded(found.address(), found.port());
    ClientAddress.set(channel, client);
    return client;
  }
}
