package io.sudp.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A real nginx on loopback in front of a SUDP server, started and stopped by a test. */
public final class Nginx implements AutoCloseable {
  private final Path dir;
  private final ListeningProgram program;

  private Nginx(Path dir, ListeningProgram program) {
    this.dir = dir;
    this.program = program;
  }

  /** A plain WebSocket reverse proxy for {@code path}, without TLS or authentication. */
  public static Nginx proxy(Path dir, String path, int serverPort) throws IOException {
    int port = FreePorts.tcp();
    return start(
        dir,
        port,
        """
        server {
          listen 127.0.0.1:%d;
          location = %s {
            proxy_pass http://127.0.0.1:%d;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_read_timeout 300s;
            proxy_send_timeout 300s;
          }
        }
        """
            .formatted(port, path, serverPort),
        false);
  }

  /**
   * The shipped {@code nginx/sudp.conf}, with only its EDIT lines changed: port, server name,
   * certificate, password file and upstream server; without {@code htpasswd} (null), its two {@code
   * auth_basic} lines deleted, as for a SUDP server that checks the passwords itself.
   */
  public static Nginx shipped(Path dir, int serverPort, TestTls tls, Path htpasswd)
      throws IOException {
    return shipped(dir, List.of(serverPort), tls, htpasswd);
  }

  /**
   * As {@link #shipped(Path, int, TestTls, Path)}, with the upstream's one server line repeated for
   * each of {@code serverPorts}, its parameters ({@code max_fails}, ...) as shipped.
   */
  public static Nginx shipped(Path dir, List<Integer> serverPorts, TestTls tls, Path htpasswd)
      throws IOException {
    int port = FreePorts.tcp();
    String conf = Files.readString(Path.of("nginx", "sudp.conf"));
    conf = replaceOnce(conf, "listen 443 ssl;", "listen 127.0.0.1:" + port + " ssl;");
    conf = replaceOnce(conf, "server_name tunnel.example.org;", "server_name localhost;");
    conf = upstreamServers(conf, serverPorts);
    conf =
        replaceOnce(
            conf,
            "ssl_certificate     /etc/ssl/sudp/fullchain.pem;",
            "ssl_certificate " + tls.serverCertificate() + ";");
    conf =
        replaceOnce(
            conf,
            "ssl_certificate_key /etc/ssl/sudp/privkey.pem;",
            "ssl_certificate_key " + tls.serverKey() + ";");
    if (htpasswd == null) {
      conf = replaceOnce(conf, "auth_basic \"SUDP\";", "");
      conf = replaceOnce(conf, "auth_basic_user_file /etc/nginx/sudp.htpasswd;", "");
    } else {
      conf =
          replaceOnce(
              conf,
              "auth_basic_user_file /etc/nginx/sudp.htpasswd;",
              "auth_basic_user_file " + htpasswd + ";");
    }
    return start(dir, port, conf, false);
  }

  /**
   * The shipped {@code nginx/sudp-stream.conf}, with only its EDIT lines changed: port and upstream
   * server. Its connections reach the server with a PROXY protocol header.
   */
  public static Nginx shippedStream(Path dir, int serverPort) throws IOException {
    int port = FreePorts.tcp();
    String conf = Files.readString(Path.of("nginx", "sudp-stream.conf"));
    conf = replaceOnce(conf, "listen 443;", "listen 127.0.0.1:" + port + ";");
    conf = replaceOnce(conf, "server 127.0.0.1:8443;", "server 127.0.0.1:" + serverPort + ";");
    return start(dir, port, conf, true);
  }

  /** The shipped upstream line {@code server 127.0.0.1:8080 PARAMETERS;}, once per port. */
  private static String upstreamServers(String conf, List<Integer> ports) {
    Matcher line = Pattern.compile("server 127\\.0\\.0\\.1:8080([^;]*);").matcher(conf);
    if (!line.find()) {
      throw new IllegalStateException("nginx/sudp.conf: no 'server 127.0.0.1:8080 ...;' line");
    }
    StringBuilder servers = new StringBuilder();
    for (int port : ports) {
      servers.append("server 127.0.0.1:").append(port).append(line.group(1)).append(";\n");
    }
    return conf.substring(0, line.start()) + servers + conf.substring(line.end());
  }

  private static String replaceOnce(String text, String line, String replacement) {
    Matcher matcher = Pattern.compile(Pattern.quote(line)).matcher(text);
    if (!matcher.find() || matcher.find()) {
      throw new IllegalStateException("nginx/sudp.conf: expected exactly one '" + line + "'");
    }
    return text.replace(line, replacement);
  }

  /**
   * Starts nginx with {@code conf}: blocks of its {@code http} section, or with {@code stream}, a
   * {@code stream} section of its own (with the stream module, which Debian builds apart).
   */
  private static Nginx start(Path dir, int port, String conf, boolean stream) throws IOException {
    Files.createDirectories(dir.resolve("temp"));
    Files.writeString(dir.resolve("sudp.conf"), conf);
    // As root, nginx's workers would switch to 'nobody', who cannot read the test's private
    // temporary directory (certificates, password file).
    String user = "root".equals(System.getProperty("user.name")) ? "user root;\n" : "";
    String top =
        stream
            ? "load_module "
                + RealProcess.installed(
                    Path.of("/usr/lib/nginx/modules/ngx_stream_module.so"), "libnginx-mod-stream")
                + ";\ninclude %1$s/sudp.conf;\n"
            : "";
    String http = stream ? "" : "  include %1$s/sudp.conf;\n";
    Files.writeString(
        dir.resolve("nginx.conf"),
        (user
                + top
                + """
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
        """
                + http
                + "}\n")
            .formatted(dir));
    String nginx = RealProcess.program("nginx", "nginx");
    List<String> command =
        List.of(nginx, "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString());
    try {
      return new Nginx(dir, ListeningProgram.start(dir, "nginx", port, command));
    } catch (IllegalStateException e) {
      throw new IllegalStateException(
          "nginx did not start: " + e.getMessage() + Files.readString(dir.resolve("error.log")));
    }
  }

  public int port() {
    return program.port();
  }

  /** What nginx has written to its error log (level {@code warn} and above) so far. */
  public String errorLog() throws IOException {
    return Files.readString(dir.resolve("error.log"));
  }

  /** Stops nginx (SIGTERM: it closes every connection) and starts it again on the same port. */
  public void restart() throws IOException, InterruptedException {
    program.restart();
  }

  @Override
  public void close() throws InterruptedException {
    program.close();
  }
}
