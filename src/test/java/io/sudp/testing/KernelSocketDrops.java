package io.sudp.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the kernel says it dropped at one of this process's UDP sockets, read the way an operator
 * would ({@code /proc/net/udp} and {@code udp6}, column {@code drops}): the socket bound to a local
 * port whose inode is one of this process's descriptors, so that another process's socket on the
 * same port is never taken for it.
 */
public final class KernelSocketDrops {
  private static final int LOCAL_ADDRESS = 1;
  private static final int INODE = 9;
  private static final int DROPS = 12;

  private KernelSocketDrops() {}

  /** True where the kernel shows sockets' drops ({@code /proc/net/udp} readable). */
  public static boolean shown() {
    return Files.isReadable(Path.of("/proc/net/udp"));
  }

  /** The drops of this process's UDP socket on {@code port}; fails if there is none. */
  public static long atPort(int port) {
    Set<String> ours = socketInodes();
    String suffix = ":" + String.format(Locale.ROOT, "%04X", port);
    for (String table : List.of("/proc/net/udp", "/proc/net/udp6")) {
      for (String line : lines(Path.of(table))) {
        String[] fields = line.trim().split("\\s+");
        if (fields.length > DROPS
            && fields[LOCAL_ADDRESS].endsWith(suffix)
            && ours.contains(fields[INODE])) {
          return Long.parseLong(fields[DROPS]);
        }
      }
    }
    throw new IllegalStateException("no UDP socket of this process on port " + port);
  }

  /**
   * Sends empty datagrams from {@code sender} to this process's socket at {@code target} until the
   * kernel shows more than {@code drops} for it (the socket must not be read meanwhile); the count
   * it then shows.
   */
  public static long floodPast(DatagramChannel sender, InetSocketAddress target, long drops) {
    long[] shown = {0};
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(10))
        .until(
            () -> {
              for (int i = 0; i < 1000; i++) {
                sender.send(ByteBuffer.allocate(0), target);
              }
              shown[0] = atPort(target.getPort());
              return shown[0] > drops;
            });
    return shown[0];
  }

  /** The inodes of this process's sockets: its descriptors' links read {@code socket:[inode]}. */
  private static Set<String> socketInodes() {
    Set<String> inodes = new HashSet<>();
    try (DirectoryStream<Path> descriptors = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
      for (Path descriptor : descriptors) {
        String target;
        try {
          target = Files.readSymbolicLink(descriptor).toString();
        } catch (IOException closedMeanwhile) {
          continue;
        }
        if (target.startsWith("socket:[")) {
          inodes.add(target.substring("socket:[".length(), target.length() - 1));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return inodes;
  }

  /** The lines of {@code table}; none where it does not exist (IPv6 turned off). */
  private static List<String> lines(Path table) {
    if (!Files.isReadable(table)) {
      return List.of();
    }
    try {
      return Files.readAllLines(table);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
