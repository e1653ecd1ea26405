package io.sudp.bench;

import io.netty.channel.EventLoopGroup;
import io.sudp.embed.SudpTunnels;
import io.sudp.ops.TrafficCounters;
import io.sudp.routes.RouteNames;
import io.sudp.runtime.ClientAssembly;
import io.sudp.runtime.TunnelRuntime;
import io.sudp.testing.FreePorts;
import io.sudp.testing.Runtimes;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.AdviceWithRouteBuilder;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.util.function.ThrowingConsumer;

/**
 * A SUDP server runtime and a Camel application with SUDP tunnels in this JVM, with the benchmark's
 * echo behind the server. The tunnels are {@code templatedRoute}s of {@code sudp-client-tunnel}, as
 * a Camel user declares them, and a benchmark may change a tunnel's route before it starts ({@link
 * AdviceWith}), as a Camel user would insert an EIP; the application's client runs its listeners
 * and its connection on one event loop, as SUDP's own client does. The server can be stopped and
 * started again on its port.
 */
final class InProcessTunnels implements AutoCloseable {
  /** A tunnel: its name (the route id), template parameters besides its addresses, its advice. */
  record Tunnel(
      String name,
      Map<String, String> parameters,
      ThrowingConsumer<AdviceWithRouteBuilder, Exception> advice) {
    Tunnel(String name) {
      this(name, Map.of(), null);
    }
  }

  private static final String TEMPLATES = "classpath:sudp/routes/client.camel.yaml";

  private final Path dir;
  private final int ws = FreePorts.tcp();
  private final EchoTarget echo;
  private final Map<String, Integer> ports = new HashMap<>();
  private final CamelContext client;
  private TunnelRuntime server;

  InProcessTunnels(List<Tunnel> tunnels) throws Exception {
    this(tunnels, "");
  }

  /**
   * With {@code clientSettings}, YAML lines of a {@code client:} section besides its server (e.g.
   * {@code "queue: {max-age: 200ms}"}), the application runs that client configuration ({@link
   * SudpTunnels}) and the tunnels use its client; without, the client every Camel application with
   * SUDP gets.
   */
  InProcessTunnels(List<Tunnel> tunnels, String clientSettings) throws Exception {
    dir = Files.createTempDirectory("sudp-bench");
    echo = new EchoTarget();
    client = new DefaultCamelContext();
    try {
      startServer();
      client.build();
      if (!clientSettings.isEmpty()) {
        SudpTunnels configured = new SudpTunnels();
        configured.setParts("client");
        // no tunnels of its own: an empty instances directory stands for them
        Path instances = Files.createDirectories(dir.resolve("instances"));
        configured.setConfig(
            Files.writeString(
                    dir.resolve("client.yaml"),
                    "client:\n  server: %s\n  instances-dir: %s\n  %s\n"
                        .formatted(serverUrl(), instances, clientSettings))
                .toString());
        client.getRegistry().bind("sudp", configured);
      }
      // A context built by its constructor has SUDP's templates only once it initializes, and
      // routes added after that would not start with it: the templates are loaded first.
      PluginHelper.getRoutesLoader(client)
          .loadRoutes(ResourceHelper.resolveMandatoryResource(client, TEMPLATES));
      addTunnels(tunnels);
      client.start();
      for (Tunnel tunnel : tunnels) {
        awaitRoundTrip(ports.get(tunnel.name()));
      }
    } catch (Exception e) {
      close();
      throw e;
    }
  }

  private void addTunnels(List<Tunnel> tunnels) throws Exception {
    for (Tunnel tunnel : tunnels) {
      int port = FreePorts.udp();
      ports.put(tunnel.name(), port);
      TemplatedRouteBuilder route =
          TemplatedRouteBuilder.builder(client, RouteNames.TUNNEL_TEMPLATE)
              .routeId(tunnel.name())
              .parameter("listen", "127.0.0.1:" + port)
              .parameter("destination", "127.0.0.1:" + echo.port())
              .parameter("server", serverUrl());
      tunnel.parameters().forEach(route::parameter);
      route.add();
      if (tunnel.advice() != null) {
        AdviceWith.adviceWith(client, tunnel.name(), tunnel.advice());
      }
    }
  }

  private String serverUrl() {
    return "ws://127.0.0.1:" + ws + "/sudp";
  }

  /** Once a datagram went through the tunnel on {@code port} and back (its listener is bound). */
  private static void awaitRoundTrip(int port) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(500);
      socket.connect(new InetSocketAddress("127.0.0.1", port));
      byte[] reply = new byte[16];
      while (System.nanoTime() < deadline) {
        try {
          socket.send(new DatagramPacket(new byte[] {1}, 1));
          socket.receive(new DatagramPacket(reply, reply.length));
          return;
        } catch (SocketTimeoutException e) {
          // sent again
        } catch (PortUnreachableException e) {
          Thread.sleep(100); // the listener is not bound yet: asked again in a moment
        }
      }
    }
    throw new IllegalStateException("nothing came back through the tunnel on port " + port);
  }

  /** The UDP port applications send to for {@code tunnel}. */
  int port(String tunnel) {
    return ports.get(tunnel);
  }

  CamelContext client() {
    return client;
  }

  /** What the client carried and dropped. */
  TrafficCounters clientCounters() {
    return client
        .getRegistry()
        .lookupByNameAndType(RouteNames.CLIENT, ClientAssembly.class)
        .counters();
  }

  /** Whether the client's connection to the server is up. */
  boolean connected() {
    return client
        .getRegistry()
        .lookupByNameAndType(RouteNames.CLIENT, ClientAssembly.class)
        .connected();
  }

  /**
   * CPU time the client's event loop has used, in nanoseconds: its listeners, its routes and its
   * connection all run on that one thread (whatever a route step logs is formatted there too).
   */
  long clientLoopCpuNanos() throws Exception {
    EventLoopGroup loops =
        client.getRegistry().lookupByNameAndType(RouteNames.EVENT_LOOPS, EventLoopGroup.class);
    long thread = loops.next().submit(() -> Thread.currentThread().getId()).get();
    return ManagementFactory.getThreadMXBean().getThreadCpuTime(thread);
  }

  /** Stops the server: the client's connection closes and it starts reconnecting. */
  void stopServer() {
    server.close();
  }

  /** Starts a server on the same port again (after {@link #stopServer}). */
  void startServer() throws Exception {
    server = Runtimes.server(dir, ws, "127.0.0.1:" + echo.port());
  }

  @Override
  public void close() throws Exception {
    client.close();
    if (server != null) {
      server.close();
    }
    echo.close();
  }
}
