package io.sudp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.sudp.ops.Refusal;
import io.sudp.ops.TrafficCounters;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The PROXY protocol on connections the gate takes in, on Netty's embedded channels: read from
 * trusted proxies only, before anything else, bounded, and naming the client that limits, logs and
 * eviction count by from then on.
 */
class ProxyProtocolTest {
  private static final long TIMEOUT_MS = 1_000;
  private static final String PROXY = "127.0.0.1";
  private static final byte[] REQUEST =
      "GET /sudp HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final TrafficCounters counters = new TrafficCounters();
  private final AcceptGate gate =
      new AcceptGate(
          3,
          TIMEOUT_MS,
          true,
          new ClientAddressRule(
              ClientAddressSource.PROXY_PROTOCOL, TrustedProxies.parse(List.of(PROXY))),
          counters);
  private final EmbeddedChannel listening = new EmbeddedChannel();

  ProxyProtocolTest() {
    gate.guard(listening);
  }

  /** A connection from {@code peer}, accepted through the gate. */
  private EmbeddedChannel accept(String peer) {
    EmbeddedChannel connection =
        new EmbeddedChannel() {
          @Override
          protected SocketAddress remoteAddress0() {
            return new InetSocketAddress(peer, 40_000);
          }
        };
    listening.writeInbound(connection);
    assertThat((Channel) listening.readInbound()).isSameAs(connection);
    return connection;
  }

  private static ByteBuf v1(String source) {
    return ascii("PROXY TCP4 " + source + " 192.0.2.1 51234 443\r\n");
  }

  private static ByteBuf ascii(String text) {
    return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
  }

  private static ByteBuf v2(HAProxyCommand command, String source) {
    EmbeddedChannel encoder = new EmbeddedChannel(HAProxyMessageEncoder.INSTANCE);
    encoder.writeOutbound(
        new HAProxyMessage(
            HAProxyProtocolVersion.V2,
            command,
            source.indexOf(':') >= 0 ? HAProxyProxiedProtocol.TCP6 : HAProxyProxiedProtocol.TCP4,
            source,
            source.indexOf(':') >= 0 ? "2001:db8::1" : "192.0.2.1",
            51234,
            443));
    return encoder.readOutbound();
  }

  private static String received(EmbeddedChannel connection) {
    ByteBuf read = connection.readInbound();
    try {
      return read.toString(StandardCharsets.US_ASCII);
    } finally {
      read.release();
    }
  }

  @Test
  void aTrustedProxysHeaderNamesTheClientAndWhatFollowsGoesOnUntouched() {
    EmbeddedChannel connection = accept(PROXY);

    connection.writeInbound(
        Unpooled.wrappedBuffer(v1("203.0.113.7"), Unpooled.wrappedBuffer(REQUEST)));

    assertThat(received(connection)).isEqualTo(new String(REQUEST, StandardCharsets.US_ASCII));
    assertThat(ClientAddress.of(connection).key()).isEqualTo("203.0.113.7");
    assertThat(ClientAddress.of(connection)).hasToString("203.0.113.7:51234 (via 127.0.0.1:40000)");
    assertThat(connection.pipeline().get(ProxyHeaderReader.class)).as("gone once read").isNull();
  }

  @Test
  void version2HeadersNameIpv4AndIpv6ClientsAndLocalOnesTheProxy() {
    EmbeddedChannel v4 = accept(PROXY);
    v4.writeInbound(v2(HAProxyCommand.PROXY, "198.51.100.9"));
    EmbeddedChannel v6 = accept(PROXY);
    v6.writeInbound(v2(HAProxyCommand.PROXY, "2001:db8:0:0::17"));
    EmbeddedChannel local = accept(PROXY);
    local.writeInbound(v2(HAProxyCommand.LOCAL, "198.51.100.9"));

    assertThat(ClientAddress.of(v4).key()).isEqualTo("198.51.100.9");
    assertThat(ClientAddress.of(v6).key()).isEqualTo("2001:db8::17");
    assertThat(ClientAddress.of(local).key()).as("a health check of the proxy's").isEqualTo(PROXY);
    assertThat(List.of(v4.isOpen(), v6.isOpen(), local.isOpen())).containsOnly(true);
    assertThat(counters.refusals(Refusal.PROXY_HEADER)).isZero();
  }

  @Test
  void aTrustedProxysConnectionWithoutAHeaderIsClosedAndCountedOnce() {
    EmbeddedChannel request = accept(PROXY);
    request.writeInbound(Unpooled.wrappedBuffer(REQUEST));
    EmbeddedChannel tlsHello = accept(PROXY);
    byte[] hello = new byte[200];
    hello[0] = 0x16;
    tlsHello.writeInbound(Unpooled.wrappedBuffer(hello));

    assertThat(request.isOpen()).isFalse();
    assertThat(tlsHello.isOpen()).isFalse();
    assertThat(counters.refusals(Refusal.PROXY_HEADER)).isEqualTo(2);
    assertThat(counters.refusals(Refusal.TLS)).as("not a TLS failure").isZero();
    assertThat(gate.pending()).isZero();
  }

  @Test
  void aHeaderOverItsBoundIsRefused() {
    EmbeddedChannel endless = accept(PROXY);
    endless.writeInbound(ascii("PROXY TCP4 203.0.113.7 192.0.2.1 51234 443" + " ".repeat(100)));
    EmbeddedChannel bigV2 = accept(PROXY);
    ByteBuf header = v2(HAProxyCommand.PROXY, "198.51.100.9");
    int over = 216 + ProxyHeaderReader.MAX_TLV_BYTES + 1;
    header.setShort(14, over); // what it announces after the fixed 16 bytes
    bigV2.writeInbound(header);
    assertThat(bigV2.isOpen()).as("waits for what it announced").isTrue();
    bigV2.writeInbound(Unpooled.wrappedBuffer(new byte[over]));

    assertThat(endless.isOpen()).isFalse();
    assertThat(bigV2.isOpen()).isFalse();
    assertThat(counters.refusals(Refusal.PROXY_HEADER)).isEqualTo(2);
  }

  @Test
  void aHeaderSentTooSlowlyMeetsTheHandshakeTimeout() {
    EmbeddedChannel slow = accept(PROXY);
    slow.writeInbound(ascii("PROXY TCP4 203.0"));

    listening.advanceTimeBy(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    listening.runPendingTasks();

    assertThat(slow.isOpen()).isFalse();
    assertThat(counters.refusals(Refusal.HANDSHAKE_TIMEOUT)).isEqualTo(1);
  }

  @Test
  void anUntrustedPeerCannotNameItsClient() {
    EmbeddedChannel spoofer = accept("127.0.0.2");

    spoofer.writeInbound(v1("203.0.113.7"));

    assertThat(spoofer.pipeline().get(ProxyHeaderReader.class)).isNull();
    assertThat(received(spoofer)).as("left for TLS or HTTP to refuse").startsWith("PROXY TCP4");
    assertThat(ClientAddress.of(spoofer).key()).isEqualTo("127.0.0.2");
  }

  @Test
  void eachClientBehindTheProxyCountsAsItselfWhenRoomIsMade() {
    EmbeddedChannel first = accept(PROXY);
    first.writeInbound(v1("198.51.100.1"));
    EmbeddedChannel flooding = accept(PROXY);
    flooding.writeInbound(v1("198.51.100.2"));
    EmbeddedChannel flooding2 = accept(PROXY);
    flooding2.writeInbound(v1("198.51.100.2"));

    accept(PROXY); // one more than the gate holds

    assertThat(flooding.isOpen()).as("the oldest of the client with the most").isFalse();
    assertThat(first.isOpen()).as("older, but of a client with one").isTrue();
    assertThat(flooding2.isOpen()).isTrue();
  }
}
