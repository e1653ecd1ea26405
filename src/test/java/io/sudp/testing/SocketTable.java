package io.sudp.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * This machine's sockets as {@code ss} (iproute2) shows them, read and changed as an operator
 * would: which process owns a UDP port, and a process's TCP connections reset as a broken network
 * resets them ({@code ss -K}: the kernel aborts the socket and sends the peer a RST).
 */
public final class SocketTable {
  /** A socket's line: local address and port, peer address and port, then its process. */
  private static final Pattern LINE =
      Pattern.compile("\\S+:(\\d+)\\s+\\S+:(\\d+|\\*)\\s+users:\\(\\(\"[^\"]*\",pid=(\\d+),");

  private SocketTable() {}

  /** The PID of the process with a UDP socket on local {@code port}; -1 if there is none. */
  public static long udpOwner(int port) throws IOException, InterruptedException {
    for (String line : ss("-Hunap", "( sport = :" + port + " )")) {
      Matcher socket = LINE.matcher(line);
      if (socket.find()) {
        return Long.parseLong(socket.group(3));
      }
    }
    return -1;
  }

  /**
   * Resets every established TCP connection of process {@code pid} to {@code remotePort}, as a
   * network blip would; returns how many there were. Skips the test where the kernel does not let
   * {@code ss -K} destroy sockets (it needs root and {@code CONFIG_INET_DIAG_DESTROY}), except in
   * CI, where it fails.
   */
  public static int resetConnections(long pid, int remotePort)
      throws IOException, InterruptedException {
    List<Integer> local = connections(pid, remotePort);
    for (int port : local) {
      ss(
          "-K",
          "-Htn",
          "state",
          "established",
          "( sport = :" + port + " and dport = :" + remotePort + " )");
    }
    List<Integer> left = connections(pid, remotePort);
    left.retainAll(local);
    if (!left.isEmpty()) {
      RealProcess.missing(
          "ss -K could not reset TCP connections here (it needs root and a kernel with"
              + " CONFIG_INET_DIAG_DESTROY)");
    }
    return local.size();
  }

  /** The local ports of {@code pid}'s established TCP connections to {@code remotePort}. */
  private static List<Integer> connections(long pid, int remotePort)
      throws IOException, InterruptedException {
    List<Integer> ports = new ArrayList<>();
    for (String line : ss("-Htnp", "state", "established", "( dport = :" + remotePort + " )")) {
      Matcher socket = LINE.matcher(line);
      if (socket.find() && Long.parseLong(socket.group(3)) == pid) {
        ports.add(Integer.parseInt(socket.group(1)));
      }
    }
    return ports;
  }

  private static List<String> ss(String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(RealProcess.program("ss", "iproute2"));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
    }
    return output.lines().toList();
  }
}
