package io.sudp.bench;

import io.sudp.testing.FreePorts;
import io.sudp.testing.Nginx;
import io.sudp.testing.RealProcess;
import io.sudp.testing.ScratchDirectories;
import io.sudp.testing.TestTls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A second client of the benchmark's server, connected through the shipped nginx configuration with
 * TLS and Basic authentication (certificates and password file made here): the deployment the
 * documentation recommends, measured next to the direct one.
 */
final class NginxTunnel implements AutoCloseable {
  private final Path dir;
  private final Nginx nginx;
  private final RealProcess client;
  private final int entryPort;

  private NginxTunnel(Path dir, Nginx nginx, RealProcess client, int entryPort) {
    this.dir = dir;
    this.nginx = nginx;
    this.client = client;
    this.entryPort = entryPort;
  }

  /** Must run from the project's directory: it reads {@code nginx/sudp.conf}. */
  static NginxTunnel start(int serverPort, int destinationPort, String jvmArgs) throws Exception {
    Path dir = Files.createTempDirectory("sudp-bench-nginx");
    TestTls tls = TestTls.create(dir.resolve("tls"));
    Path htpasswd = tls.htpasswd("bench", "bench password");
    Nginx nginx = Nginx.shipped(dir.resolve("nginx"), serverPort, tls, htpasswd);
    int entry = FreePorts.udp();
    Files.writeString(
        dir.resolve("client.yaml"),
        """
        name: bench-via-nginx
        client:
          server: wss://localhost:%d/sudp
          tls:
            ca: %s
          auth:
            username: bench
            password-file: %s
          tunnels:
            - name: bench
              listen: 127.0.0.1:%d
              destination: 127.0.0.1:%d
        """
            .formatted(
                nginx.port(),
                tls.caCertificate(),
                tls.secretFile("bench.pw", "bench password"),
                entry,
                destinationPort));
    RealProcess client =
        RealProcess.start(dir, "client", TunnelProcesses.command(jvmArgs, "client", dir));
    NginxTunnel tunnel = new NginxTunnel(dir, nginx, client, entry);
    TunnelProcesses.awaitTraffic(tunnel.entry(), client);
    return tunnel;
  }

  InetSocketAddress entry() {
    return new InetSocketAddress("127.0.0.1", entryPort);
  }

  @Override
  public void close() throws Exception {
    client.close();
    nginx.close();
    try {
      ScratchDirectories.delete(dir);
    } catch (IOException e) {
      System.err.println("could not remove " + dir + ": " + e);
    }
  }
}
