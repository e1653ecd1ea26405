package io.sudp.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A WebSocket client written by hand over a plain TCP socket, so that a test can send what no
 * library would: unmasked frames, reserved bits, oversized or endless fragments, pings it never
 * reads the answer to, a connection dropped with a reset.
 */
public final class RawWebSocket implements AutoCloseable {
  /** {@link #awaitClose}'s answer when the server closed TCP without a close frame. */
  public static final int NO_CLOSE_FRAME = -1;

  /** {@link #awaitClose}'s answer when the connection was reset. */
  public static final int RESET = -2;

  public static final int TEXT = 1;
  public static final int BINARY = 2;
  public static final int CONTINUATION = 0;
  public static final int PING = 9;

  private final Socket socket;
  private final OutputStream out;
  private final DataInputStream in;

  private RawWebSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.in = new DataInputStream(socket.getInputStream());
  }

  /**
   * Upgrades a new connection on {@code path}, offering {@code sudp.v1}; fails unless the server
   * answers 101.
   *
   * @param receiveBuffer the socket's receive buffer in bytes (small for a peer that does not
   *     read), or 0 for the default
   */
  public static RawWebSocket connect(int port, String path, int receiveBuffer) throws IOException {
    return connect(port, path, receiveBuffer, null);
  }

  /** As {@link #connect(int, String, int)}, resuming session {@code session} (null: none). */
  public static RawWebSocket connect(int port, String path, int receiveBuffer, String session)
      throws IOException {
    Upgrade upgrade =
        attempt(
            "127.0.0.1",
            port,
            path,
            receiveBuffer,
            session == null ? Map.of() : Map.of("Sudp-Session", session));
    if (upgrade.socket() == null) {
      throw new IOException("upgrade refused: " + upgrade.status());
    }
    return upgrade.socket();
  }

  /** An upgrade's outcome: the HTTP status, the socket if it was 101, how long it took. */
  public record Upgrade(int status, RawWebSocket socket, long nanos) {}

  /**
   * Tries an upgrade from local address {@code from} (any 127.x address on Linux: a source of its
   * own) with {@code headers}; a refused one's connection is closed.
   */
  public static Upgrade attempt(
      String from, int port, String path, int receiveBuffer, Map<String, String> headers)
      throws IOException {
    return attempt(from, port, path, receiveBuffer, headers, Opening.PLAIN);
  }

  /**
   * How a connection begins before its request: {@code preamble} in the clear (a PROXY protocol
   * header), then TLS with {@code tls} (null: none), asking for the server name {@code localhost}.
   */
  public record Opening(byte[] preamble, SSLSocketFactory tls) {
    public static final Opening PLAIN = new Opening(new byte[0], null);
  }

  /** As {@link #attempt(String, int, String, int, Map)}, beginning as {@code opening} says. */
  public static Upgrade attempt(
      String from,
      int port,
      String path,
      int receiveBuffer,
      Map<String, String> headers,
      Opening opening)
      throws IOException {
    long start = System.nanoTime();
    Socket socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.bind(new InetSocketAddress(from, 0));
    socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    socket.setSoTimeout(30_000);
    socket.getOutputStream().write(opening.preamble());
    if (opening.tls() != null) {
      try {
        SSLSocket tls = (SSLSocket) opening.tls().createSocket(socket, "localhost", port, true);
        tls.startHandshake();
        socket = tls;
      } catch (IOException refused) {
        socket.close();
        return new Upgrade(-1, null, System.nanoTime() - start);
      }
    }
    RawWebSocket ws = new RawWebSocket(socket);
    byte[] key = new byte[16];
    ThreadLocalRandom.current().nextBytes(key);
    StringBuilder request =
        new StringBuilder(
            "GET "
                + path
                + " HTTP/1.1\r\nHost: 127.0.0.1:"
                + port
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: "
                + Base64.getEncoder().encodeToString(key)
                + "\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: sudp.v1\r\n");
    headers.forEach(
        (name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
    ws.out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
    String status;
    try {
      status = ws.readHeaders();
    } catch (IOException closed) {
      socket.close();
      return new Upgrade(-1, null, System.nanoTime() - start);
    }
    int code = Integer.parseInt(status.substring(9, 12));
    if (code != 101) {
      socket.close();
      return new Upgrade(code, null, System.nanoTime() - start);
    }
    return new Upgrade(code, ws, System.nanoTime() - start);
  }

  /** The status line; the rest of the response's head is read and dropped. */
  private String readHeaders() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed in the response head: " + head);
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String text = head.toString(StandardCharsets.US_ASCII);
    return text.substring(0, text.indexOf('\r'));
  }

  /** One binary message in one frame. */
  public void binary(byte[] payload) throws IOException {
    frame(true, 0, BINARY, payload, true);
  }

  /** A frame as a client sends it ({@code masked}) or as the protocol forbids it. */
  public void frame(boolean fin, int rsv, int opcode, byte[] payload, boolean masked)
      throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
    frame.write((fin ? 0x80 : 0) | (rsv << 4) | opcode);
    int mask = masked ? 0x80 : 0;
    if (payload.length < 126) {
      frame.write(mask | payload.length);
    } else if (payload.length < 65_536) {
      frame.write(mask | 126);
      frame.write(payload.length >> 8);
      frame.write(payload.length);
    } else {
      frame.write(mask | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame.write((int) ((long) payload.length >> shift));
      }
    }
    if (masked) {
      byte[] key = new byte[4];
      ThreadLocalRandom.current().nextBytes(key);
      frame.write(key);
      byte[] masking = payload.clone();
      for (int i = 0; i < masking.length; i++) {
        masking[i] ^= key[i & 3];
      }
      frame.write(masking);
    } else {
      frame.write(payload);
    }
    out.write(frame.toByteArray());
  }

  /**
   * Reads until the server's close frame and returns its code, skipping whatever came before;
   * {@link #NO_CLOSE_FRAME} if TCP ended without one, {@link #RESET} if it was reset.
   */
  public int awaitClose() throws IOException {
    try {
      while (true) {
        int first = in.readUnsignedByte();
        int second = in.readUnsignedByte();
        long length = second & 0x7f;
        if (length == 126) {
          length = in.readUnsignedShort();
        } else if (length == 127) {
          length = in.readLong();
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        if ((first & 0x0f) == 8) {
          return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }
      }
    } catch (EOFException e) {
      return NO_CLOSE_FRAME;
    } catch (SocketTimeoutException e) {
      throw e;
    } catch (SocketException e) {
      return RESET;
    }
  }

  /** Ends the connection with a TCP reset, as a crashed client or a broken network would. */
  public void reset() throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  /** True once the server has closed the connection (read returns end of stream or a reset). */
  public boolean closedByServer() throws IOException {
    InputStream raw = socket.getInputStream();
    try {
      while (raw.read(new byte[4096]) >= 0) {
        // what the server sent before closing
      }
      return true;
    } catch (SocketException e) {
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
