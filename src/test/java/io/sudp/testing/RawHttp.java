package io.sudp.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An HTTP/1.1 exchange written by hand, for headers a client library will not send as given (a
 * {@code Host} naming another machine, an {@code Origin}).
 */
public final class RawHttp {
  private RawHttp() {}

  /**
   * Sends {@code method path} with {@code headers} (a {@code Host} naming the loopback port unless
   * one of them is a {@code Host}) and {@code body} to loopback {@code port}; the answer's status
   * line, a line break and its body.
   */
  public static String exchange(
      int port, String method, String path, List<String> headers, String body) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
      if (headers.stream().noneMatch(header -> header.startsWith("Host:"))) {
        request.append("Host: 127.0.0.1:").append(port).append("\r\n");
      }
      headers.forEach(header -> request.append(header).append("\r\n"));
      byte[] content = body.getBytes(StandardCharsets.UTF_8);
      request
          .append("Content-Length: ")
          .append(content.length)
          .append("\r\nConnection: close\r\n\r\n")
          .append(body);
      socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.UTF_8));
      InputStream in = socket.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return answer.substring(0, answer.indexOf('\r'))
          + "\n"
          + answer.substring(answer.indexOf("\r\n\r\n") + 4);
    }
  }
}
