package io.sudp.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay between a client and a server that a test can cut: every connection through it is
 * reset at once, as when a proxy restarts or a NAT forgets a mapping. New connections go through.
 */
public final class TcpProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final InetSocketAddress source;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  public TcpProxy(int targetPort) throws IOException {
    this(targetPort, null);
  }

  /**
   * A relay whose connections to {@code targetPort} come from local address {@code from} (null: the
   * system's choice): a client of its own to a server on loopback, such as 127.0.0.2.
   */
  public TcpProxy(int targetPort, String from) throws IOException {
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
    source = from == null ? null : new InetSocketAddress(from, 0);
    acceptor = new Thread(this::accept, "tcp-proxy-accept");
    acceptor.start();
  }

  public int port() {
    return listener.getLocalPort();
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket();
        if (source != null) {
          server.bind(source);
        }
        server.connect(target, 5_000);
        for (Socket socket : List.of(client, server)) {
          socket.setTcpNoDelay(true);
          sockets.add(socket);
        }
        pump(client, server);
        pump(server, client);
      } catch (IOException e) {
        // closed, or the target refused: the client sees its connection fail
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[64 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                  out.write(buffer, 0, read);
                }
              } catch (IOException e) {
                // cut or closed
              }
              reset(to);
            },
            "tcp-proxy-pump");
    threads.add(thread);
    thread.start();
  }

  /** Resets every connection now (RST, no close handshake), as a crashed middlebox would. */
  public void cut() {
    for (Socket socket : sockets) {
      reset(socket);
    }
    sockets.clear();
  }

  private static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
      socket.close();
    } catch (IOException e) {
      // already gone
    }
  }

  @Override
  public void close() throws Exception {
    listener.close();
    cut();
    acceptor.join(5_000);
    for (Thread thread : threads) {
      thread.join(5_000);
    }
  }
}
