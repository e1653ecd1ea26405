package io.sudp.routes;

import java.util.regex.Pattern;

/**
 * The route ids, route template ids and registry names that SUDP's Java code and its route files
 * ({@code src/main/resources/routes}, at {@code classpath:sudp/routes}) share; the route files
 * spell them too, and a test holds the two equal. Tunnel routes are named after their tunnel, so
 * this is also where a tunnel name that would take another route's id is refused. It depends on
 * nothing, so that both the configuration's validation and the runtime's wiring use it.
 */
public final class RouteNames {
  /** The route template of one client tunnel. */
  public static final String TUNNEL_TEMPLATE = "sudp-client-tunnel";

  /**
   * The framing step of a tunnel route, a bean local to the route that its template makes (an
   * unlikely name: a parameter whose value equals it would be renamed by Camel).
   */
  public static final String TUNNEL_STEP = "sudpTunnelStep";

  /** The route template of one client connection's return route. */
  public static final String CONNECTION_TEMPLATE = "sudp-client-connection";

  /** The route template of the echo service. */
  public static final String ECHO_TEMPLATE = "sudp-echo";

  /** The echo service's one route, from {@link #ECHO_TEMPLATE}. */
  public static final String ECHO_ROUTE = "sudp-echo";

  public static final String SERVER_UPSTREAM_ROUTE = "sudp-server-upstream";
  public static final String SERVER_DOWNSTREAM_ROUTE = "sudp-server-downstream";

  /** The process's Vert.x instance ({@code io.sudp.transport.SharedVertx}). */
  public static final String VERTX = "sudpVertx";

  /**
   * The client: its connections, one per server and credentials, which tunnel routes send to
   * ({@code sudp:sudpClient?server=...}), and the tunnels it carries.
   */
  public static final String CLIENT = "sudpClient";

  /** The event loops every UDP listener and WebSocket runs on. */
  public static final String EVENT_LOOPS = "sudpEventLoops";

  /** The decoder factory of the UDP listeners ({@code io.sudp.camel.DatagramBurstDecoders}). */
  public static final String DATAGRAM_BURSTS = "sudpDatagramBursts";

  public static final String ECHO_REPLY = "sudpEchoReply";
  public static final String SERVER_SOCKET = "sudpServerSocket";
  public static final String SERVER_FRAMING = "sudpServerFraming";
  public static final String SERVER_NAT = "sudpServerNat";

  /** The replies of the server's flows, the source of its downstream route. */
  public static final String SERVER_REPLIES = "sudpServerReplies";

  public static final String CLIENT_FRAMING = "sudpClientFraming";

  /** The first client connection's socket; later ones are numbered ({@link #clientSocket}). */
  public static final String CLIENT_SOCKET = "sudpClientSocket";

  private static final String REPLY_DELIVERY = "sudpReplyDelivery";
  private static final String CLIENT_ROUTE = "sudp-client-";

  /** A connection's route, after {@link #CLIENT_ROUTE}: the first's, then numbered from 1. */
  private static final String DOWNSTREAM = "downstream";

  private static final Pattern CONNECTION_ROUTE_SUFFIX =
      Pattern.compile(DOWNSTREAM + "(-[1-9][0-9]*)?");

  private RouteNames() {}

  /** The route of the tunnel named {@code tunnel}. */
  public static String tunnelRoute(String tunnel) {
    return CLIENT_ROUTE + tunnel;
  }

  /** The return route of a client's connection: 0 for the client's own server, then 1, 2... */
  public static String connectionRoute(int index) {
    return CLIENT_ROUTE + numbered(DOWNSTREAM, index);
  }

  /** The socket of a client's connection, numbered as {@link #connectionRoute}. */
  public static String clientSocket(int index) {
    return numbered(CLIENT_SOCKET, index);
  }

  /** The reply delivery step of a client's connection, numbered as {@link #connectionRoute}. */
  public static String replyDelivery(int index) {
    return numbered(REPLY_DELIVERY, index);
  }

  private static String numbered(String name, int index) {
    return index == 0 ? name : name + "-" + index;
  }

  /**
   * The routes Camel's supervising route controller leaves alone, as its exclude filter: the
   * connections' return routes and the server's and echo service's routes, which start or fail the
   * start. Every other route, each tunnel whoever declared it, is retried in the background while
   * it cannot start (its port taken, say).
   */
  public static String unsupervisedRoutes() {
    return String.join(
        ",", connectionRoutes(), SERVER_UPSTREAM_ROUTE, SERVER_DOWNSTREAM_ROUTE, ECHO_ROUTE);
  }

  /**
   * The pattern of exactly the connections' return routes, for a route filter such as Camel's
   * supervising route controller's (which compares ignoring case, unless the pattern says
   * otherwise).
   */
  public static String connectionRoutes() {
    return "(?-i)" + CLIENT_ROUTE + CONNECTION_ROUTE_SUFFIX.pattern();
  }

  /**
   * Why {@code tunnel} cannot name a tunnel, as {@code "is reserved (...)"}, or null if it can: its
   * route id would be that of a connection's return route, which it would replace.
   */
  public static String reservedTunnelName(String tunnel) {
    if (!CONNECTION_ROUTE_SUFFIX.matcher(tunnel).matches()) {
      return null;
    }
    return "is reserved (its route id "
        + tunnelRoute(tunnel)
        + " is that of a server connection's return route, which the tunnel would replace;"
        + " name the tunnel otherwise, e.g. '"
        + tunnel
        + "-tunnel')";
  }
}
