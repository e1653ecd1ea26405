package io.sudp.transport;

import java.net.InetAddress;

/**
 * Where the client's address comes from, and whose word on it is taken: what a trusted proxy says
 * ({@link ClientAddressSource}) is believed only from a TCP peer among {@code trustedProxies}; from
 * any other peer the header is ignored and the peer is the client. A value, from the configuration.
 */
public record ClientAddressRule(ClientAddressSource source, TrustedProxies trustedProxies) {
  /** Every connection is its own client, whatever it sends: the default. */
  public static final ClientAddressRule PEER =
      new ClientAddressRule(ClientAddressSource.PEER, TrustedProxies.NONE);

  /** Whether a connection from {@code peer} must begin with a PROXY protocol header. */
  boolean readsProxyHeader(InetAddress peer) {
    return source == ClientAddressSource.PROXY_PROTOCOL && trusts(peer);
  }

  /** Whether a request from {@code peer} names its client in a header to believe. */
  boolean readsHeader(InetAddress peer) {
    return source.header() != null && trusts(peer);
  }

  private boolean trusts(InetAddress peer) {
    return peer != null && trustedProxies.trusts(peer);
  }
}
