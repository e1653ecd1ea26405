package io.sudp.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A "proxy" on a loopback socket that reads a client's request head and then answers as told: with
 * a header that never ends, a status line that never ends, bytes that are not HTTP, or a real
 * tunnel to a port of its own choosing, whatever the request asked for. It takes one client at a
 * time and remembers the request lines and what it wrote.
 */
public final class FakeHttpProxy implements AutoCloseable {
  /** How the fake answers. */
  public enum Answer {
    ENDLESS_HEADER,
    ENDLESS_STATUS_LINE,
    NOT_HTTP,
    TUNNEL
  }

  private static final int MAX_HEAD = 8192;

  private final ServerSocket listener;
  private final Answer answer;
  private final int tunnelPort;
  private final Thread acceptor;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final AtomicLong clientsHungUp = new AtomicLong();
  private final AtomicLong mostWritten = new AtomicLong();
  private volatile byte[] firstTunnelledBytes = new byte[0];

  private FakeHttpProxy(Answer answer, int tunnelPort) throws IOException {
    this.answer = answer;
    this.tunnelPort = tunnelPort;
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::accept, "fake-proxy");
    acceptor.start();
  }

  /** A fake that answers every request with {@code answer} (not {@link Answer#TUNNEL}). */
  public static FakeHttpProxy answering(Answer answer) throws IOException {
    return new FakeHttpProxy(answer, 0);
  }

  /** A fake that accepts every CONNECT and tunnels it to loopback {@code port}. */
  public static FakeHttpProxy tunnellingTo(int port) throws IOException {
    return new FakeHttpProxy(Answer.TUNNEL, port);
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** The request lines received, in order. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  /** Clients that closed their connection while it still wrote its endless answer. */
  public long clientsHungUp() {
    return clientsHungUp.get();
  }

  /** The most it wrote to one client before that client hung up. */
  public long mostWritten() {
    return mostWritten.get();
  }

  /** The first bytes the client sent into a tunnel (a TLS client's hello). */
  public byte[] firstTunnelledBytes() {
    return firstTunnelledBytes.clone();
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        open.add(client);
        requests.add(readHead(client.getInputStream()));
        answer(client);
      } catch (IOException e) {
        // closed, or the client went away: the next one
      }
    }
  }

  /** The request line of a request head of up to {@link #MAX_HEAD} bytes. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (head.size() < MAX_HEAD
        && !head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int next = in.read();
      if (next < 0) {
        throw new IOException("closed before the end of the request head");
      }
      head.write(next);
    }
    return head.toString(StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
  }

  private void answer(Socket client) throws IOException {
    OutputStream out = client.getOutputStream();
    switch (answer) {
      case ENDLESS_HEADER ->
          writeForever(
              out,
              "HTTP/1.1 200 Connection established\r\n",
              "X-Filler: " + "a".repeat(1000) + "\r\n");
      case ENDLESS_STATUS_LINE -> writeForever(out, "HTTP/1.1 200 ", "a".repeat(1000));
      case NOT_HTTP -> {
        out.write("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        drain(client.getInputStream());
      }
      case TUNNEL -> tunnel(client);
    }
  }

  /** Writes {@code first}, then {@code filler} again and again until the client hangs up. */
  private void writeForever(OutputStream out, String first, String filler) {
    byte[] chunk = filler.getBytes(StandardCharsets.US_ASCII);
    long written = 0;
    try {
      out.write(first.getBytes(StandardCharsets.US_ASCII));
      while (!listener.isClosed()) {
        out.write(chunk);
        written += chunk.length;
      }
    } catch (IOException e) {
      clientsHungUp.incrementAndGet();
      mostWritten.accumulateAndGet(written, Math::max);
    }
  }

  /** Reads until the client closes, then closes its end. */
  private static void drain(InputStream in) throws IOException {
    while (in.read() >= 0) {
      // nothing to answer
    }
  }

  private void tunnel(Socket client) throws IOException {
    Socket server = new Socket(InetAddress.getLoopbackAddress(), tunnelPort);
    open.add(server);
    client
        .getOutputStream()
        .write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    Thread back = new Thread(() -> pump(server, client, false), "fake-proxy-back");
    back.start();
    pump(client, server, true);
  }

  private void pump(Socket from, Socket to, boolean keepFirst) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int read;
      while ((read = in.read(buffer)) >= 0) {
        if (keepFirst && firstTunnelledBytes.length == 0) {
          firstTunnelledBytes = Arrays.copyOf(buffer, read);
        }
        out.write(buffer, 0, read);
      }
    } catch (IOException e) {
      // either end closed
    }
    closeQuietly(to);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // closed already
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    listener.close();
    open.forEach(FakeHttpProxy::closeQuietly);
    acceptor.join(10_000);
  }
}
