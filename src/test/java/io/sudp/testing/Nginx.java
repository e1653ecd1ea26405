package io.sudp.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;

/**
 * A real nginx on loopback, configured by the test, in front of a SUDP server: a plain WebSocket
 * reverse proxy here (TLS and authentication are added by the security tests).
 */
public final class Nginx implements AutoCloseable {
  private final Path dir;
  private final int port;
  private RealProcess process;

  private Nginx(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** Writes a configuration that proxies {@code path} to the SUDP server and starts nginx. */
  public static Nginx proxy(Path dir, String path, int serverPort) throws IOException {
    String nginx = RealProcess.program("nginx", "nginx");
    int port = FreePorts.tcp();
    Path conf = dir.resolve("nginx.conf");
    Files.createDirectories(dir.resolve("temp"));
    Files.writeString(conf, """
        daemon off;
        master_process on;
        worker_processes 1;
        pid %1$s/nginx.pid;
        error_log %1$s/error.log warn;
        events { worker_connections 256; }
        http {
          access_log off;
          client_body_temp_path %1$s/temp/body;
          proxy_temp_path %1$s/temp/proxy;
          fastcgi_temp_path %1$s/temp/fastcgi;
          uwsgi_temp_path %1$s/temp/uwsgi;
          scgi_temp_path %1$s/temp/scgi;
          server {
            listen 127.0.0.1:%2$d;
            location = %3$s {
              proxy_pass http://127.0.0.1:%4$d;
              proxy_http_version 1.1;
              proxy_set_header Upgrade $http_upgrade;
              proxy_set_header Connection "upgrade";
              proxy_read_timeout 300s;
              proxy_send_timeout 300s;
            }
          }
        }
        """.formatted(dir, port, path, serverPort));
    Nginx server = new Nginx(dir, port);
    server.start(nginx);
    return server;
  }

  private void start(String nginx) throws IOException {
    process = RealProcess.start(dir, "nginx-" + System.nanoTime(),
        List.of(nginx, "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString()));
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(this::listening);
  }

  private boolean listening() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  public int port() {
    return port;
  }

  /** Stops nginx (SIGTERM: it closes every connection) and starts it again on the same port. */
  public void restart() throws IOException, InterruptedException {
    process.stop();
    start(RealProcess.program("nginx", "nginx"));
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null) {
      process.close();
    }
  }
}
