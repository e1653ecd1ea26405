package io.sudp.transport;

import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Reads the client's address from what proxies wrote into {@code X-Forwarded-For} or {@code
 * Forwarded} (RFC 7239): each proxy appends the address it got the request from, so only the
 * right-most entries are proxies' words, and everything left of the first that is not a trusted
 * proxy is whatever the client chose to send. The client is therefore the right-most address that
 * is not a trusted proxy (or, when every address listed is one, the left-most). Bounded: a header
 * longer than {@value #MAX_CHARS} characters, more than {@value #MAX_HOPS} trusted hops, or an
 * entry that is not an IP address where the walk needs one (garbage, {@code unknown}, an obfuscated
 * {@code _name}) gives no address at all, and the caller keys the request by its TCP peer.
 */
final class ForwardedHops {
  /** Trusted proxies in a row: more than any real chain of proxies has. */
  static final int MAX_HOPS = 16;

  /** All of the header's lines together; HTTP bounds the request's headers to 8 KiB anyway. */
  static final int MAX_CHARS = 8 * 1024;

  /** The longest entry that can be an address: {@code [IPv6 with an IPv4 tail]:port}. */
  private static final int MAX_ENTRY = 64;

  /** Why no address was found. */
  enum Problem {
    MISSING,
    TOO_LONG,
    MALFORMED,
    TOO_MANY_HOPS;

    String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
  }

  /** The client's address and port (0 if not given), or the problem that left it unknown. */
  record Found(InetAddress address, int port, Problem problem) {
    static Found problem(Problem problem) {
      return new Found(null, 0, problem);
    }
  }

  private ForwardedHops() {}

  /**
   * The client named by {@code lines} (the header's lines, in order) of {@code header}, given which
   * addresses are {@code trusted} proxies.
   */
  static Found client(
      ClientAddressSource header, List<String> lines, Predicate<InetAddress> trusted) {
    int chars = 0;
    for (String line : lines) {
      chars += line.length() + 1;
    }
    if (chars > MAX_CHARS) {
      return Found.problem(Problem.TOO_LONG);
    }
    List<String> fromRight =
        header == ClientAddressSource.FORWARDED
            ? forwardedFromRight(String.join(",", lines))
            : listFromRight(lines);
    if (fromRight == null) {
      return Found.problem(Problem.MALFORMED);
    }
    Found leftmost = null;
    for (int hop = 0; hop < fromRight.size(); hop++) {
      if (hop == MAX_HOPS) {
        return Found.problem(Problem.TOO_MANY_HOPS);
      }
      Found found = address(fromRight.get(hop));
      if (found == null) {
        return Found.problem(Problem.MALFORMED);
      }
      if (!trusted.test(found.address())) {
        return found;
      }
      leftmost = found;
    }
    return leftmost != null ? leftmost : Found.problem(Problem.MISSING);
  }

  /**
   * The entries of a comma-separated list, right-most first, at most one more than {@link
   * #MAX_HOPS}; empty entries skipped, as HTTP's list syntax allows.
   */
  private static List<String> listFromRight(List<String> lines) {
    List<String> entries = new ArrayList<>();
    for (int line = lines.size() - 1; line >= 0; line--) {
      String value = lines.get(line);
      int end = value.length();
      while (end > 0 && entries.size() <= MAX_HOPS) {
        int comma = value.lastIndexOf(',', end - 1);
        String entry = value.substring(comma + 1, end).strip();
        if (!entry.isEmpty()) {
          entries.add(entry);
        }
        end = Math.max(comma, 0);
      }
    }
    return entries;
  }

  /**
   * The {@code for=} value of each element of a {@code Forwarded} header, right-most first (an
   * element without one as the empty string), at most one more than {@link #MAX_HOPS}; null if the
   * header does not parse. Elements are separated by commas, parameters by semicolons, and values
   * are tokens or quoted strings, which may hold either.
   */
  private static List<String> forwardedFromRight(String header) {
    Deque<String> last = new ArrayDeque<>();
    Parser in = new Parser(header);
    while (true) {
      in.skipSpace();
      if (in.atEnd()) {
        break;
      }
      if (in.take(',')) {
        continue; // an empty element
      }
      String forValue = "";
      boolean hasFor = false;
      do {
        in.skipSpace();
        String name = in.token();
        if (name == null || !in.take('=')) {
          return null;
        }
        String value = in.peek() == '"' ? in.quoted() : in.token();
        if (value == null || (name.equalsIgnoreCase("for") && hasFor)) {
          return null;
        }
        if (name.equalsIgnoreCase("for")) {
          hasFor = true;
          forValue = value;
        }
        in.skipSpace();
      } while (in.take(';'));
      if (!in.atEnd() && !in.take(',')) {
        return null;
      }
      last.addFirst(forValue);
      if (last.size() > MAX_HOPS + 1) {
        last.removeLast();
      }
    }
    return new ArrayList<>(last);
  }

  /**
   * An entry's address and port: {@code 192.0.2.7}, {@code 192.0.2.7:4711}, {@code 2001:db8::7},
   * {@code [2001:db8::7]} or {@code [2001:db8::7]:4711} (an obfuscated port, {@code _p}, counts as
   * none). Null for anything else.
   */
  static Found address(String entry) {
    if (entry.isEmpty() || entry.length() > MAX_ENTRY) {
      return null;
    }
    String host = entry;
    String port = null;
    if (entry.charAt(0) == '[') {
      int close = entry.indexOf(']');
      if (close < 0 || entry.substring(1, close).indexOf(':') < 0) {
        return null;
      }
      host = entry.substring(1, close);
      if (close + 1 < entry.length()) {
        if (entry.charAt(close + 1) != ':') {
          return null;
        }
        port = entry.substring(close + 2);
      }
    } else {
      int colon = entry.indexOf(':');
      if (colon >= 0 && colon == entry.lastIndexOf(':')) {
        host = entry.substring(0, colon);
        port = entry.substring(colon + 1);
      }
    }
    InetAddress address = ClientAddress.ipLiteral(host);
    int number = port == null ? 0 : port(port);
    return address == null || number < 0 ? null : new Found(address, number, null);
  }

  /** 1..65535; 0 for an obfuscated port; -1 for anything else. */
  private static int port(String text) {
    if (text.length() > 1 && text.charAt(0) == '_') {
      return 0;
    }
    if (!text.matches("[0-9]{1,5}")) {
      return -1;
    }
    int port = Integer.parseInt(text);
    return port >= 1 && port <= 65_535 ? port : -1;
  }

  /** A cursor over a header value, for RFC 7230's tokens and quoted strings. */
  private static final class Parser {
    private final String text;
    private int at;

    Parser(String text) {
      this.text = text;
    }

    boolean atEnd() {
      return at >= text.length();
    }

    char peek() {
      return atEnd() ? 0 : text.charAt(at);
    }

    boolean take(char expected) {
      if (peek() == expected && !atEnd()) {
        at++;
        return true;
      }
      return false;
    }

    void skipSpace() {
      while (peek() == ' ' || peek() == '\t') {
        at++;
      }
    }

    /** A token, or null if none starts here. */
    String token() {
      int start = at;
      while (!atEnd() && isTokenChar(text.charAt(at))) {
        at++;
      }
      return at > start ? text.substring(start, at) : null;
    }

    /** A quoted string's content, escapes undone, or null if it does not end. */
    String quoted() {
      StringBuilder value = new StringBuilder();
      at++; // the opening quote
      while (!atEnd()) {
        char c = text.charAt(at++);
        if (c == '"') {
          return value.toString();
        }
        if (c == '\\') {
          if (atEnd()) {
            return null;
          }
          c = text.charAt(at++);
        }
        if (c < 0x20 && c != '\t' || c == 0x7f) {
          return null;
        }
        value.append(c);
      }
      return null;
    }

    private static boolean isTokenChar(char c) {
      return c > 0x20 && c < 0x7f && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
    }
  }
}
