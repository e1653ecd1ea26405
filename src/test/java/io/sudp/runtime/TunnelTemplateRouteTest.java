package io.sudp.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sudp.protocol.OutboundData;
import io.sudp.udp.ReceivedDatagram;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.component.netty.NettyConstants;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

/**
 * The tunnel template as a Camel user declares it, with its listener and its WebSocket end replaced
 * by Camel's own test endpoints: what the route hands the connection for a burst of datagrams,
 * which no socket test can see.
 */
class TunnelTemplateRouteTest extends CamelTestSupport {
  @Override
  public boolean isUseAdviceWith() {
    return true;
  }

  @Test
  void aBurstFromTwoSendersBecomesTheirFramesInOrderOnTwoFlows() throws Exception {
    // A context built by its constructor, as here, has the templates only once it initializes.
    PluginHelper.getRoutesLoader(context)
        .loadRoutes(ResourceHelper.resolveMandatoryResource(context, SudpContextPlugin.TEMPLATES));
    TemplatedRouteBuilder.builder(context, "sudp-client-tunnel")
        .routeId("dns")
        .parameter("listen", "127.0.0.1:0")
        .parameter("destination", "192.0.2.53:53")
        .parameter("server", "ws://127.0.0.1:9/sudp")
        .parameter("idleTimeout", "45s")
        .add();
    AdviceWith.adviceWith(
        context,
        "dns",
        route -> {
          route.replaceFromWith("direct:datagrams");
          route.weaveByToUri("sudp:*").replace().to("mock:connection");
        });
    context.start();
    MockEndpoint connection = getMockEndpoint("mock:connection");
    connection.expectedMessageCount(1);

    InetSocketAddress alice = new InetSocketAddress("127.0.0.1", 40001);
    InetSocketAddress bob = new InetSocketAddress("127.0.0.1", 40002);
    EmbeddedChannel listener = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    template.sendBodyAndHeader(
        "direct:datagrams",
        List.of(datagram("a1", alice), datagram("b1", bob), datagram("a2", alice)),
        NettyConstants.NETTY_CHANNEL_HANDLER_CONTEXT,
        listener.pipeline().firstContext());

    connection.assertIsSatisfied();
    List<?> frames = connection.getExchanges().get(0).getMessage().getBody(List.class);
    assertThat(frames)
        .extracting(frame -> new String(((OutboundData) frame).payload(), StandardCharsets.UTF_8))
        .containsExactly("a1", "b1", "a2");
    int aliceFlow = ((OutboundData) frames.get(0)).flowId();
    assertThat(((OutboundData) frames.get(2)).flowId()).isEqualTo(aliceFlow);
    assertThat(((OutboundData) frames.get(1)).flowId()).isNotEqualTo(aliceFlow);

    ClientAssembly client =
        context.getRegistry().lookupByNameAndType("sudpClient", ClientAssembly.class);
    RunningTunnel dns = client.running("dns");
    assertThat(dns.config().destination()).hasToString("192.0.2.53:53");
    assertThat(dns.config().idleTimeout()).hasSeconds(45);
    assertThat(dns.tunnel().flowCount()).isEqualTo(2);
    listener.finishAndReleaseAll();
  }

  private static ReceivedDatagram datagram(String text, InetSocketAddress sender) {
    return new ReceivedDatagram(text.getBytes(StandardCharsets.UTF_8), sender);
  }
}
