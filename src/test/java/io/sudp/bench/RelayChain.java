package io.sudp.bench;

import io.sudp.testing.FreePorts;
import io.sudp.testing.RealProcess;
import io.sudp.testing.ScratchDirectories;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Two {@link RelayHop} processes in a row in front of a destination, like a tunnel's client and
 * server: the benchmark's floor for the latency a two-process tunnel can add on this machine.
 */
record RelayChain(Path dir, RealProcess near, RealProcess far, int entryPort)
    implements AutoCloseable {
  static RelayChain start(int destinationPort) throws Exception {
    Path dir = Files.createTempDirectory("sudp-relay");
    int middle = FreePorts.udp();
    int entry = FreePorts.udp();
    RealProcess far = RealProcess.start(dir, "far", hop(middle, destinationPort));
    RealProcess near = RealProcess.start(dir, "near", hop(entry, middle));
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
