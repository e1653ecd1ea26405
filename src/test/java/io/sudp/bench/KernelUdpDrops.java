package io.sudp.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Datagrams the kernel dropped because a socket's receive buffer was full, machine-wide (Linux
 * {@code /proc/net/snmp}, {@code Udp: RcvbufErrors}): under overload it tells a drop at a socket
 * from a drop inside the tunnel. -1 where the file does not exist.
 */
final class KernelUdpDrops {
  private static final Path SNMP = Path.of("/proc/net/snmp");

  private KernelUdpDrops() {}

  static long receiveBufferErrors() throws IOException {
    if (!Files.isReadable(SNMP)) {
      return -1;
    }
    List<String[]> udp =
        Files.readAllLines(SNMP).stream()
            .filter(line -> line.startsWith("Udp: "))
            .map(line -> line.split("\\s+"))
            .toList();
    int column = Arrays.asList(udp.get(0)).indexOf("RcvbufErrors");
    return Long.parseLong(udp.get(1)[column]);
  }
}
