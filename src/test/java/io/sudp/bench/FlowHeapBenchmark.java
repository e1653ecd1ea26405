package io.sudp.bench;

import io.sudp.config.SudpConfig;
import io.sudp.runtime.Role;
import io.sudp.runtime.TunnelRuntime;
import io.sudp.testing.FreePorts;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/**
 * Heap per idle flow: a server, a client and an echo destination in this JVM; N local senders each
 * open a flow with one round trip, then sit idle. Heap in use after a full GC, before and after,
 * divided by N: what one idle flow costs at both ends together (the senders' own sockets exist
 * before the first measurement).
 *
 * <pre>
 * java -cp target/sudp.jar:target/test-classes io.sudp.bench.FlowHeapBenchmark [flows]
 * </pre>
 */
public final class FlowHeapBenchmark {
  private FlowHeapBenchmark() {}

  public static void main(String[] args) throws Exception {
    int flows = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
    Path dir = Files.createTempDirectory("sudp-heap");
    int ws = FreePorts.tcp();
    int tunnel = FreePorts.udp();
    int echo = FreePorts.udp();
    Path file =
        Files.writeString(
            dir.resolve("heap.yaml"),
            """
        server:
          listen: 127.0.0.1:%1$d
          allow: ["127.0.0.1:%3$d"]
          max-flows-per-connection: 1000000
          idle-timeout: 1h
        echo:
          listen: 127.0.0.1:%3$d
        client:
          server: ws://127.0.0.1:%1$d/sudp
          idle-timeout: 1h
          tunnels:
            - {name: heap, listen: "127.0.0.1:%2$d", destination: "127.0.0.1:%3$d"}
        """
                .formatted(ws, tunnel, echo));
    List<DatagramSocket> senders = new ArrayList<>();
    try (TunnelRuntime runtime =
        new TunnelRuntime(SudpConfig.load(file), EnumSet.allOf(Role.class))) {
      runtime.start();
      InetSocketAddress entry = new InetSocketAddress("127.0.0.1", tunnel);
      roundTrip(new DatagramSocket(), entry).close(); // warm: classes loaded, pools made
      for (int i = 0; i < flows; i++) {
        senders.add(new DatagramSocket()); // made before measuring: they are not the tunnel's
      }
      long before = JvmUsage.usedHeapAfterGc();
      for (DatagramSocket sender : senders) {
        roundTrip(sender, entry);
      }
      long after = JvmUsage.usedHeapAfterGc();
      System.out.printf(
          Locale.ROOT,
          "%d idle flows: heap %.1f MiB -> %.1f MiB, %.0f bytes per"
              + " flow (client and server together); status: %s%n",
          flows,
          before / 1048576.0,
          after / 1048576.0,
          (after - before) / (double) flows,
          runtime.status());
    } finally {
      senders.forEach(DatagramSocket::close);
    }
  }

  private static DatagramSocket roundTrip(DatagramSocket socket, InetSocketAddress entry)
      throws Exception {
    socket.setSoTimeout(2_000);
    byte[] reply = new byte[16];
    for (int attempt = 0; attempt < 5; attempt++) {
      socket.send(new DatagramPacket(new byte[] {1}, 1, entry));
      try {
        socket.receive(new DatagramPacket(reply, reply.length));
        return socket;
      } catch (SocketTimeoutException e) {
        // sent again
      }
    }
    throw new IllegalStateException("no reply through the tunnel");
  }
}
