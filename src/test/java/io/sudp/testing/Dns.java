package io.sudp.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real DNS programs for tests: a dnsmasq that answers for sudp.test, and dig to ask it. */
public final class Dns {
  private Dns() {}

  /**
   * Skips the test unless dnsmasq and dig are installed (fails it in CI): to call before starting
   * anything, rather than from inside a wait.
   */
  public static void requirePrograms() {
    RealProcess.program("dnsmasq", "dnsmasq");
    RealProcess.program("dig", "bind9-dnsutils");
  }

  /**
   * A dnsmasq on loopback {@code port} answering {@code address} for every name under sudp.test and
   * a TXT record for txt.sudp.test, its output in {@code dir}.
   */
  public static RealProcess dnsmasq(Path dir, int port, String address)
      throws IOException, InterruptedException {
    RealProcess dnsmasq =
        RealProcess.start(
            dir,
            "dnsmasq-" + port,
            List.of(
                RealProcess.program("dnsmasq", "dnsmasq"),
                "--no-daemon",
                "--conf-file=/dev/null",
                "--port=" + port,
                "--listen-address=127.0.0.1",
                "--bind-interfaces",
                "--no-resolv",
                "--no-hosts",
                "--user=" + System.getProperty("user.name"),
                "--address=/sudp.test/" + address,
                "--txt-record=txt.sudp.test,carried by a websocket"));
    awaitAnswering(dnsmasq, port, address);
    return dnsmasq;
  }

  /**
   * Waits until {@code dnsmasq} answers on its port, so that a test's first query through a tunnel
   * does not race its start; fails with its output if it exits (its port taken meanwhile by another
   * program: a free port is only free when it was picked).
   */
  private static void awaitAnswering(RealProcess dnsmasq, int port, String address)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!dig(port, "ready.sudp.test", "A").equals(address)) {
      if (!dnsmasq.isAlive() || System.nanoTime() > deadline) {
        String output = dnsmasq.output();
        dnsmasq.close();
        throw new IllegalStateException("dnsmasq on port " + port + " does not answer: " + output);
      }
    }
  }

  /** What dig asking loopback {@code port} for {@code name} prints with +short; empty on none. */
  public static String dig(int port, String name, String type)
      throws IOException, InterruptedException {
    // Waits as a resolver does, and asks once more, as resolvers do: a loaded machine may take
    // more than a second to answer, or drop a datagram between sockets that were not read.
    Process process =
        new ProcessBuilder(
                RealProcess.program("dig", "bind9-dnsutils"),
                "@127.0.0.1",
                "-p",
                String.valueOf(port),
                name,
                type,
                "+short",
                "+time=5",
                "+tries=2")
            .redirectErrorStream(true)
            .start();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return "";
    }
    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
  }
}
