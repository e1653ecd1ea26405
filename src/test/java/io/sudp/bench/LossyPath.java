package io.sudp.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Two network namespaces, a client's and a server's, joined by a veth pair on which each side's
 * nftables drops incoming packets at random ({@code numgen random mod 1000 < PERMILLE}): a lossy
 * path between two hosts on one machine, for what crosses it (the tunnel's TCP connections), while
 * loopback inside each namespace stays lossless. Removed, with everything in it, on {@link #close}.
 */
final class LossyPath implements AutoCloseable {
  private static final String CLIENT_ADDRESS = "10.203.0.1";
  private static final String SERVER_ADDRESS = "10.203.0.2";
  private final String client;
  private final String server;

  private LossyPath(String client, String server) {
    this.client = client;
    this.server = server;
  }

  /** Why the path cannot be made here (not root, no iproute2 or nftables), or null if it can. */
  static String unavailable() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return "network namespaces need root";
    }
    for (List<String> probe : List.of(List.of("ip", "-V"), List.of("nft", "-v"))) {
      try {
        run(probe);
      } catch (IOException | IllegalStateException e) {
        return probe.get(0) + " is not usable: " + e.getMessage();
      }
    }
    return null;
  }

  /** Makes the namespaces, the veth pair between them and the loss in both directions. */
  static LossyPath create(int lossPermille) throws IOException {
    String suffix = Long.toString(ProcessHandle.current().pid());
    LossyPath path = new LossyPath("sudp-hol-c" + suffix, "sudp-hol-s" + suffix);
    try {
      path.build(lossPermille, "vc" + suffix, "vs" + suffix);
    } catch (IOException | RuntimeException e) {
      path.close();
      throw e;
    }
    return path;
  }

  private void build(int lossPermille, String clientLink, String serverLink) throws IOException {
    run(List.of("ip", "netns", "add", client));
    run(List.of("ip", "netns", "add", server));
    run(
        List.of(
            "ip",
            "link",
            "add",
            clientLink,
            "netns",
            client,
            "type",
            "veth",
            "peer",
            "name",
            serverLink,
            "netns",
            server));
    configure(client, clientLink, CLIENT_ADDRESS, lossPermille);
    configure(server, serverLink, SERVER_ADDRESS, lossPermille);
  }

  private static void configure(String namespace, String link, String address, int lossPermille)
      throws IOException {
    run(List.of("ip", "-n", namespace, "link", "set", "lo", "up"));
    run(List.of("ip", "-n", namespace, "addr", "add", address + "/24", "dev", link));
    run(List.of("ip", "-n", namespace, "link", "set", link, "up"));
    run(
        List.of(
            "ip",
            "netns",
            "exec",
            namespace,
            "nft",
            "add table inet sudp_loss; add chain inet sudp_loss in { type filter hook input"
                + " priority 0; }; add rule inet sudp_loss in iifname "
                + link
                + " numgen random mod 1000 < "
                + lossPermille
                + " drop"));
  }

  String client() {
    return client;
  }

  String server() {
    return server;
  }

  /** The server's address on the path, as the client reaches it. */
  String serverAddress() {
    return SERVER_ADDRESS;
  }

  @Override
  public void close() {
    for (String namespace : List.of(client, server)) {
      try {
        run(List.of("ip", "netns", "del", namespace));
      } catch (IOException | RuntimeException e) {
        // not made, or already gone
      }
    }
  }

  private static String run(List<String> command) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + ": still running after 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + ": " + output.strip());
    }
    return output;
  }
}
