package io.sudp.bench;

import io.sudp.testing.FreePorts;
import io.sudp.testing.RealProcess;
import io.sudp.testing.ScratchDirectories;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Two relay processes in a row in front of a destination, like a tunnel's client and server: the
 * benchmark's floor for the latency a two-process tunnel can add on this machine. Either Java's
 * {@link RelayHop}s, or the C relay of {@link NativeRelay}, which no language runtime slows.
 */
record RelayChain(Path dir, RealProcess near, RealProcess far, int entryPort)
    implements AutoCloseable {
  /** Two Java {@link RelayHop}s. */
  static RelayChain start(int destinationPort) throws Exception {
    return start(destinationPort, RelayChain::hop);
  }

  /** Two C relays ({@link NativeRelay}), compiled first if need be. */
  static RelayChain startNative(int destinationPort) throws Exception {
    String binary = NativeRelay.binary().toString();
    return start(
        destinationPort,
        (listen, target) -> List.of(binary, String.valueOf(listen), String.valueOf(target)));
  }

  private interface Hop {
    List<String> command(int listenPort, int targetPort);
  }

  private static RelayChain start(int destinationPort, Hop hop) throws Exception {
    Path dir = Files.createTempDirectory("sudp-relay");
    int middle = FreePorts.udp();
    int entry = FreePorts.udp();
    RealProcess far = RealProcess.start(dir, "far", hop.command(middle, destinationPort));
    RealProcess near = RealProcess.start(dir, "near", hop.command(entry, middle));
    RelayChain chain = new RelayChain(dir, near, far, entry);
    TunnelProcesses.awaitTraffic(chain.entry(), near, far);
    return chain;
  }

  private static List<String> hop(int listenPort, int targetPort) {
    return List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp",
        System.getProperty("java.class.path"),
        RelayHop.class.getName(),
        String.valueOf(listenPort),
        String.valueOf(targetPort));
  }

  InetSocketAddress entry() {
    return new InetSocketAddress("127.0.0.1", entryPort);
  }

  @Override
  public void close() throws Exception {
    near.close();
    far.close();
    ScratchDirectories.delete(dir);
  }
}
