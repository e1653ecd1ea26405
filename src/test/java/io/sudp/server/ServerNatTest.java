package io.sudp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoop;
import io.sudp.destination.AllowRule;
import io.sudp.destination.OwnAddresses;
import io.sudp.ops.Direction;
import io.sudp.ops.DropCause;
import io.sudp.ops.TrafficCounters;
import io.sudp.protocol.CloseCodes;
import io.sudp.protocol.CloseFrame;
import io.sudp.protocol.DataFrame;
import io.sudp.protocol.Destination;
import io.sudp.protocol.FlowCloseReason;
import io.sudp.protocol.Frame;
import io.sudp.protocol.ListenFrame;
import io.sudp.protocol.ListenResult;
import io.sudp.protocol.ListenResultFrame;
import io.sudp.protocol.OpenFrame;
import io.sudp.protocol.OutboundData;
import io.sudp.protocol.SessionFrame;
import io.sudp.protocol.UnlistenFrame;
import io.sudp.testing.FreePorts;
import io.sudp.testing.UdpEchoServer;
import io.sudp.transport.FrameWriter;
import io.sudp.transport.PeerConnection;
import io.sudp.transport.QueueBudget;
import io.sudp.transport.QueueLimits;
import io.sudp.transport.TestConnection;
import io.vertx.core.Vertx;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The NAT on its own: frames of a connection applied to its session's flows, with real UDP sockets
 * towards a local echo server and the replies caught where the return route would take them.
 */
class ServerNatTest {
  private static final FlowLimits ROOMY = limits(16, 64);
  private static final AtomicInteger SESSIONS = new AtomicInteger();
  private static final String ID = "0123456789abcdef0123456789abcdef";

  private final Vertx vertx = Vertx.vertx();
  private final TrafficCounters counters = new TrafficCounters();
  private final List<OutboundData> replies = new CopyOnWriteArrayList<>();
  private UdpEchoServer echo;
  private Destination destination;
  private ServerNat nat;

  @BeforeEach
  void startEcho() throws Exception {
    echo = new UdpEchoServer();
    destination = Destination.parse(echo.address());
  }

  @AfterEach
  void stop() throws Exception {
    echo.close();
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  @Test
  void anOpenMakesAFlowWhoseDatagramsReachTheDestinationAndWhoseRepliesComeBack() {
    TestConnection client = connect(ROOMY, Map.of(), null);
    apply(client, new OpenFrame(1, destination, 0), data(1, 0, "ping"));

    await().until(() -> replies.size() == 1);
    assertThat(replies.get(0).flowId()).isEqualTo(1);
    assertThat(new String(replies.get(0).payload())).isEqualTo("ping");
    assertThat(nat.flowCount()).isEqualTo(1);
    assertThat(nat.flowCount(client.peer())).isEqualTo(1);
  }

  @Test
  void aSecondOpenOfAnOpenFlowKeepsItsSocket() {
    TestConnection client = connect(ROOMY, Map.of(), null);
    apply(client, new OpenFrame(1, destination, 0), data(1, 0, "one"));
    await().until(() -> replies.size() == 1);

    apply(client, new OpenFrame(1, destination, 1), data(1, 1, "two"));

    await().until(() -> replies.size() == 2);
    assertThat(nat.flowCount()).isEqualTo(1);
    assertThat(echo.senderPorts()).hasSize(1);
  }

  @Test
  void aFlowIdleForTheIdleTimeoutClosesAndTheClientIsTold() {
    TestConnection client =
        connect(
            new FlowLimits(16, 64, 8, Duration.ofSeconds(5), Duration.ofMillis(300)),
            Map.of(),
            null);
    apply(client, new OpenFrame(1, destination, 0), data(1, 0, "ping"));
    // The flow carried the datagram: it was open. Not its count, which the 300 ms timeout may
    // have taken back to 0 before a loaded machine's first poll.
    await().until(() -> echo.received() == 1);

    await().atMost(Duration.ofSeconds(5)).until(() -> nat.flowCount() == 0);
    awaitToldClosed(client, 1, FlowCloseReason.IDLE);
  }

  @Test
  void aConnectionGetsAtMostItsLimitOfFlows() {
    TestConnection client = connect(limits(2, 64), Map.of(), null);
    apply(
        client,
        new OpenFrame(1, destination, 0),
        new OpenFrame(2, destination, 0),
        new OpenFrame(3, destination, 0),
        data(3, 0, "over the limit"));

    awaitToldClosed(client, 3, FlowCloseReason.FLOW_LIMIT);
    assertThat(nat.flowCount()).isEqualTo(2);
    await().until(() -> counters.drops(DropCause.FLOW_LIMIT) == 1);
  }

  @Test
  void aUserGetsAtMostItsLimitOfFlowsOverAllItsSessions() {
    UserLimits oneFlow = new UserLimits(List.of(), 0, 1, 0, 0);
    TestConnection first = connect(ROOMY, Map.of("alice", oneFlow), "alice");
    TestConnection second = connection("alice");
    apply(first, new OpenFrame(1, destination, 0));
    await().until(() -> nat.flowCount() == 1);

    apply(second, new OpenFrame(1, destination, 0));

    awaitToldClosed(second, 1, FlowCloseReason.FLOW_LIMIT);
    assertThat(nat.flowCount()).isEqualTo(1);
  }

  @Test
  void theServerGivesAtMostItsLimitOfFlowsOverAllSessions() {
    TestConnection first = connect(limits(16, 2), Map.of(), null);
    TestConnection second = connection(null);
    apply(first, new OpenFrame(1, destination, 0), new OpenFrame(2, destination, 0));
    await().until(() -> nat.flowCount() == 2);

    apply(second, new OpenFrame(1, destination, 0));

    awaitToldClosed(second, 1, FlowCloseReason.FLOW_LIMIT);
    assertThat(nat.flowCount()).isEqualTo(2);
  }

  @Test
  void datagramsOfARefusedFlowAreCountedUnderTheCauseOfTheRefusal() {
    TestConnection client = connect(ROOMY, Map.of(), null);
    Destination forbidden = new Destination("127.0.0.1", echo.port() == 9 ? 10 : 9);
    apply(client, new OpenFrame(1, forbidden, 0), data(1, 0, "a"), data(1, 1, "b"));
    apply(client, data(2, 0, "never opened"), data(2, 1, "still not"));

    await().until(() -> counters.drops(DropCause.FORBIDDEN) == 2);
    await().until(() -> counters.drops(DropCause.UNKNOWN_FLOW) == 2);
    assertThat(client.written())
        .containsExactly(
            new SessionFrame(false),
            new CloseFrame(1, FlowCloseReason.FORBIDDEN),
            new CloseFrame(2, FlowCloseReason.UNKNOWN_FLOW));
    assertThat(echo.received()).isZero();
  }

  @Test
  void onlyDatagramsFromTheDestinationsAddressAndPortAreReplies() throws Exception {
    TestConnection client = connect(ROOMY, Map.of(), null);
    apply(client, new OpenFrame(1, destination, 0), data(1, 0, "ping"));
    await().until(() -> replies.size() == 1);
    int flowPort = echo.senderPorts().iterator().next();

    InetSocketAddress flow = new InetSocketAddress("127.0.0.1", flowPort);
    try (DatagramSocket otherPort = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        DatagramSocket otherAddress =
            new DatagramSocket(new InetSocketAddress("127.0.0.2", echo.port()))) {
      otherPort.send(new DatagramPacket(new byte[] {9}, 1, flow));
      otherAddress.send(new DatagramPacket(new byte[] {9}, 1, flow));
    }

    await().until(() -> counters.drops(DropCause.UNSOLICITED) == 2);
    apply(client, data(1, 1, "pong"));
    await().until(() -> replies.size() == 2);
    assertThat(replies)
        .extracting(reply -> new String(reply.payload()))
        .containsExactly("ping", "pong");
  }

  @Test
  void whenTheSessionEndsAllItsFlowsClose() {
    TestConnection client = connect(ROOMY, Map.of(), null);
    apply(client, new OpenFrame(1, destination, 0), new OpenFrame(2, destination, 0));
    await().until(() -> nat.flowCount() == 2);

    endSession(client);

    assertThat(nat.flowCount()).as("slots are free at once").isZero();
    assertThat(nat.flowCount(client.peer())).isZero();
    apply(client, data(1, 0, "after the end"));
    assertThat(nat.flowCount(client.peer())).as("no session started again").isZero();
    assertThat(echo.received()).isZero();
  }

  @Test
  void aMessageOfAnEndedSessionNeverTouchesTheFlowsOfANewerOneWithTheSameId() {
    TestConnection old = connect(ROOMY, Map.of(), null);
    endSession(old);
    TestConnection newer = connection(old.peer().session(), null);
    apply(newer, new OpenFrame(1, destination, 0));
    await().until(() -> nat.flowCount() == 1);

    apply(old, new CloseFrame(1, FlowCloseReason.NORMAL), new OpenFrame(2, destination, 0));

    assertThat(nat.flowCount(newer.peer())).isOne();
    assertThat(nat.flowCount(old.peer())).isZero();
    assertThat(nat.flowCount()).isOne();
  }

  @Test
  void anEndedSessionFreesItsFlowsAndItsIdStartsASessionWithoutThem() {
    connect(ROOMY, Map.of(), null);
    ServerSessions sessions =
        new ServerSessions(vertx, QueueLimits.DEFAULT, Duration.ofMinutes(1), counters);
    PeerConnection first = attach(sessions, new TestConnection());
    apply(first, new OpenFrame(1, destination, 0), new OpenFrame(2, destination, 0));
    await().until(() -> nat.flowCount() == 2);

    sessions.detach(first, CloseCodes.NORMAL);
    PeerConnection again = attach(sessions, new TestConnection());
    apply(first, data(1, 0, "after the end"));

    assertThat(nat.flowCount()).as("the ended session's flows are free").isZero();
    assertThat(again.sessionEnded()).as("the same id starts a new session").isFalse();
    assertThat(nat.flowCount(again)).isZero();
  }

  private TestConnection connect(FlowLimits limits, Map<String, UserLimits> users, String user) {
    return connect(limits, users, user, ReverseSettings.NONE);
  }

  private TestConnection connect(
      FlowLimits limits, Map<String, UserLimits> users, String user, ReverseSettings reverse) {
    nat =
        new ServerNat(
            vertx,
            List.of(AllowRule.parse(echo.address())),
            users,
            new OwnAddresses(Set::of),
            limits,
            QueueBudget.UNBOUNDED,
            List.of(),
            counters,
            reverse);
    nat.open((body, peer) -> replies.addAll(replies(body)));
    return connection(user);
  }

  @SuppressWarnings("unchecked")
  private static List<OutboundData> replies(Object body) {
    return List.copyOf((List<OutboundData>) body);
  }

  @Test
  void reverseListenersTakeOnlyAllowedPortsAtMostSixtyFourPerSession() {
    List<PortRanges.Range> allowed = new java.util.ArrayList<>();
    for (int i = 0; i <= ReverseListeners.MAX_LISTENERS; i++) {
      int port = FreePorts.udp();
      allowed.add(new PortRanges.Range(port, port));
    }
    int denied = FreePorts.udp();
    TestConnection client =
        connect(
            limits(1000, 1000),
            Map.of(),
            null,
            new ReverseSettings("127.0.0.1", new PortRanges(allowed), Map.of()));

    apply(client, new ListenFrame(1000, null, denied));
    for (int i = 0; i < allowed.size(); i++) {
      apply(client, new ListenFrame(i + 1, null, allowed.get(i).first()));
    }

    await().until(() -> listenResults(client).size() == allowed.size() + 1);
    assertThat(listenResults(client))
        .contains(new ListenResultFrame(1000, ListenResult.NOT_ALLOWED, 0))
        .contains(
            new ListenResultFrame(
                ReverseListeners.MAX_LISTENERS + 1, ListenResult.LISTENER_LIMIT, 0))
        .filteredOn(result -> result.result() == ListenResult.LISTENING)
        .hasSize(ReverseListeners.MAX_LISTENERS);
    assertThat(nat.reverseListenerCount()).isEqualTo(ReverseListeners.MAX_LISTENERS);
    assertThat(nat.flowCount()).isEqualTo(ReverseListeners.MAX_LISTENERS);

    apply(client, new UnlistenFrame(2));
    await().until(() -> nat.reverseListenerCount() == ReverseListeners.MAX_LISTENERS - 1);
    await().until(() -> isFree(allowed.get(1).first())); // its socket closes on the loop
    apply(client, new ListenFrame(1, null, allowed.get(0).first())); // a resumed client asks again
    await().until(() -> listenResults(client).size() == allowed.size() + 2);
    apply(client, new ListenFrame(1, null, allowed.get(1).first()));
    await().until(() -> client.closedWith() != null);
    assertThat(client.closedWith()).isEqualTo(CloseCodes.PROTOCOL_ERROR);

    endSession(client);
    await().until(() -> nat.reverseListenerCount() == 0 && nat.flowCount() == 0);
  }

  @Test
  void reverseListenersCountAgainstTheFlowsOfTheConnection() {
    List<PortRanges.Range> allowed = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      int port = FreePorts.udp();
      allowed.add(new PortRanges.Range(port, port));
    }
    TestConnection client =
        connect(
            limits(3, 1000),
            Map.of(),
            null,
            new ReverseSettings("127.0.0.1", new PortRanges(allowed), Map.of()));

    for (int i = 0; i < allowed.size(); i++) {
      apply(client, new ListenFrame(i + 1, null, allowed.get(i).first()));
    }
    await().until(() -> listenResults(client).size() == allowed.size());
    assertThat(listenResults(client))
        .filteredOn(result -> result.result() == ListenResult.LISTENING)
        .hasSize(3);
    assertThat(listenResults(client))
        .contains(new ListenResultFrame(4, ListenResult.LISTENER_LIMIT, 0));

    apply(client, new OpenFrame(9, destination, 0), data(9, 0, "no room"));
    await().until(() -> client.written().contains(new CloseFrame(9, FlowCloseReason.FLOW_LIMIT)));

    apply(client, new UnlistenFrame(1));
    await().until(() -> nat.reverseListenerCount() == 2);
    apply(client, new OpenFrame(10, destination, 0), data(10, 0, "room again"));
    await().until(() -> nat.flowCount() == 3);
    assertThat(client.written()).doesNotContain(new CloseFrame(10, FlowCloseReason.FLOW_LIMIT));

    endSession(client);
    await().until(() -> nat.reverseListenerCount() == 0 && nat.flowCount() == 0);
  }

  private static boolean isFree(int port) {
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", port))) {
      return socket.isBound();
    } catch (java.net.SocketException e) {
      return false;
    }
  }

  private static List<ListenResultFrame> listenResults(TestConnection client) {
    return client.written().stream()
        .filter(ListenResultFrame.class::isInstance)
        .map(ListenResultFrame.class::cast)
        .toList();
  }

  private TestConnection connection(String user) {
    return connection(String.format("%032x", SESSIONS.incrementAndGet()), user);
  }

  /** A connection of a new session {@code id}, as the server's sessions would make it. */
  private TestConnection connection(String id, String user) {
    EventLoop loop = (EventLoop) vertx.nettyEventLoopGroup().next();
    FrameWriter queue =
        new FrameWriter(QueueLimits.DEFAULT, counters, Direction.DOWNSTREAM, QueueBudget.UNBOUNDED);
    return new TestConnection()
        .carry(new ServerSession(id, user, false, queue), id, user, loop, counters);
  }

  /** Ends the session of {@code client}'s connection, as the server's sessions do. */
  private static void endSession(TestConnection client) {
    ServerSession session = (ServerSession) client.peer().carried();
    synchronized (session) {
      session.end();
    }
  }

  /** Admits and attaches a connection of session {@link #ID}, as the server does on upgrade. */
  private PeerConnection attach(ServerSessions sessions, TestConnection connection) {
    EventLoop loop = (EventLoop) vertx.nettyEventLoopGroup().next();
    return connection.attach(sessions, ID, null, loop, counters);
  }

  /** Applies one message's frames, as the route does: on the connection's event loop. */
  private void apply(TestConnection client, Frame... frames) {
    apply(client.peer(), frames);
  }

  private void apply(PeerConnection peer, Frame... frames) {
    try {
      peer.loop().submit(() -> nat.apply(peer, List.of(frames))).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Flow limits per connection and on the server, the others roomy. */
  private static FlowLimits limits(int perConnection, int onServer) {
    return new FlowLimits(perConnection, onServer, 8, Duration.ofSeconds(5), Duration.ofMinutes(5));
  }

  private static void awaitToldClosed(TestConnection client, int flow, FlowCloseReason reason) {
    await().until(() -> client.written().contains(new CloseFrame(flow, reason)));
  }

  private static DataFrame data(int flow, int seq, String text) {
    return new DataFrame(flow, seq, text.getBytes());
  }
}
