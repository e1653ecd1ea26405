package io.sudp.tunnel;

import static io.sudp.testing.UnderAttack.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.ops.SequenceGaps;
import io.sudp.protocol.DataFrame;
import io.sudp.protocol.Destination;
import io.sudp.protocol.Frame;
import io.sudp.protocol.OpenFrame;
import io.sudp.testing.ManagedServer;
import io.sudp.testing.RawWebSocket;
import io.sudp.testing.UnderAttack;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile bytes, frames and numbers, sent with raw sockets to a real server process while a
 * well-behaved client streams through it ({@link UnderAttack}): each is refused with its close code
 * and counted under its cause, logged at a bounded rate, and nothing else is disturbed; the
 * counters say what really happened.
 */
class ProtocolAttackIT {
  private static final int FLOWS_PER_CONNECTION = 100;

  @TempDir Path dir;

  private UnderAttack target;
  private ManagedServer server;

  private void start(String settings, int fileDescriptors) throws Exception {
    target = new UnderAttack(dir, settings, fileDescriptors);
    server = target.server();
  }

  @AfterEach
  void stop() throws Exception {
    if (target != null) {
      target.close();
    }
  }

  private Destination echo() {
    return Destination.parse(target.echo().address());
  }

  /** Counts the echo's datagrams that are {@code marker}, from now on. */
  private AtomicInteger echoed(byte[] marker) {
    AtomicInteger count = new AtomicInteger();
    target
        .echo()
        .observe(
            payload -> {
              if (Arrays.equals(payload, marker)) {
                count.incrementAndGet();
              }
            });
    return count;
  }

  /** An OPEN whose host name has {@code length} characters, which the protocol allows up to 253. */
  private static byte[] openWithNameOf(int length) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeByte(2); // OPEN
    out.writeInt(1);
    out.writeByte(3); // a host name
    out.writeByte(length);
    out.write("a".repeat(length).getBytes(StandardCharsets.US_ASCII));
    out.writeShort(53);
    out.writeInt(0);
    return bytes.toByteArray();
  }

  @Test
  void everyViolationClosesItsSenderWithItsCodeCountedAndLoggedAtABoundedRate() throws Exception {
    start("", 0);
    for (int i = 0; i < 300; i++) {
      RawWebSocket attacker = target.attacker(0);
      attacker.binary(openWithNameOf(254 + i % 2));
      assertThat(attacker.awaitClose())
          .as("close code for a 254/255-character name")
          .isEqualTo(1002);
      attacker.close();
    }

    RawWebSocket fragments = target.attacker(0);
    fragments.frame(false, 0, RawWebSocket.BINARY, new byte[100_000], true);
    fragments.frame(false, 0, RawWebSocket.CONTINUATION, new byte[40_000], true);
    assertThat(fragments.awaitClose()).as("a fragmented message over 128 KiB").isEqualTo(1009);

    RawWebSocket huge = target.attacker(0);
    huge.binary(new byte[200_000]);
    assertThat(huge.awaitClose())
        .as("one frame over 128 KiB: a close frame, not a reset")
        .isEqualTo(1009);

    RawWebSocket unmasked = target.attacker(0);
    unmasked.frame(true, 0, RawWebSocket.BINARY, new byte[10], false);
    assertThat(unmasked.awaitClose()).as("an unmasked frame").isEqualTo(1002);

    RawWebSocket reserved = target.attacker(0);
    reserved.frame(true, 4, RawWebSocket.BINARY, new byte[10], true);
    assertThat(reserved.awaitClose()).as("reserved bits set").isEqualTo(1002);

    RawWebSocket opcode = target.attacker(0);
    opcode.frame(true, 0, 3, new byte[10], true);
    assertThat(opcode.awaitClose()).as("a reserved opcode").isEqualTo(1002);

    RawWebSocket text = target.attacker(0);
    text.frame(true, 0, RawWebSocket.TEXT, "hello".getBytes(StandardCharsets.US_ASCII), true);
    assertThat(text.awaitClose()).as("a text message").isEqualTo(1003);

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(server.count("violations", "malformed")).isEqualTo(300);
              assertThat(server.count("violations", "oversized_message")).isEqualTo(2);
              assertThat(server.count("violations", "websocket")).isEqualTo(3);
              assertThat(server.count("violations", "text_message")).isEqualTo(1);
            });
    target.assertUnharmed();
  }

  @Test
  void countersSayWhatHappenedWhateverAPeerSends() throws Exception {
    start("max-flows-per-connection: " + FLOWS_PER_CONNECTION, 0);
    byte[] marker = {9, 9, 9};
    AtomicInteger delivered = echoed(marker);

    // Sequence numbers that jump as no loss could: the connection is closed, nothing counted.
    RawWebSocket jumper = target.attacker(0);
    jumper.binary(message(new OpenFrame(1, echo(), 0), new DataFrame(1, 0, marker)));
    jumper.binary(message(new DataFrame(1, 1 << 30, marker)));
    assertThat(jumper.awaitClose()).isEqualTo(1002);
    assertThat(server.count("violations", "sequence_jump")).isEqualTo(1);
    assertThat(server.status().getJsonObject("counts").getLong("lost")).isZero();

    // Resuming again and again, each time numbering on as if 2^20 datagrams had been lost: what
    // counts as lost is bounded per session and time, whatever the client says.
    String session = "00112233445566778899aabbccddeeff";
    int claimed = 0;
    for (int resume = 0; resume < 5; resume++) {
      RawWebSocket again = RawWebSocket.connect(target.ws(), "/sudp", 0, session);
      int before = delivered.get(); // before sending: the echo may see it at once
      again.binary(
          resume == 0
              ? message(new OpenFrame(1, echo(), 0), new DataFrame(1, 0, marker))
              : message(new DataFrame(1, claimed, marker)));
      await().atMost(Duration.ofSeconds(10)).until(() -> delivered.get() > before);
      again.reset(); // no close: the session waits to be resumed
      claimed += 1 << 20;
    }
    assertThat(server.count("violations", "sequence_jump")).isEqualTo(1);
    assertThat(server.status().getJsonObject("counts").getLong("lost"))
        .isLessThanOrEqualTo(SequenceGaps.MAX_IN_FLIGHT);

    // One flow over the connection's limit: each of its datagrams is one drop, nothing else.
    RawWebSocket greedy = target.attacker(0);
    List<Frame> frames = new ArrayList<>();
    for (int flow = 1; flow <= FLOWS_PER_CONNECTION + 1; flow++) {
      frames.add(new OpenFrame(flow, echo(), 0));
      frames.add(new DataFrame(flow, 0, marker));
    }
    greedy.binary(message(frames.toArray(Frame[]::new)));
    for (int seq = 1; seq <= 5; seq++) {
      greedy.binary(message(new DataFrame(FLOWS_PER_CONNECTION + 1, seq, marker)));
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> delivered.get() == 6 + FLOWS_PER_CONNECTION);
    await().atMost(Duration.ofSeconds(10)).until(() -> server.count("drops", "flow_limit") == 6);
    assertThat(server.count("drops", "unknown_flow")).as("counted twice").isZero();

    // What a peer sent after breaking the protocol is not carried.
    byte[] after = {8, 8, 8};
    AtomicInteger carriedAfter = echoed(after);
    RawWebSocket breaker = target.attacker(0);
    breaker.binary(message(new OpenFrame(1, echo(), 0), new DataFrame(1, 0, after)));
    breaker.binary(new byte[] {0x7f, 0, 0, 0, 1});
    for (int seq = 1; seq <= 50; seq++) {
      breaker.binary(message(new DataFrame(1, seq, after)));
    }
    assertThat(breaker.awaitClose()).isEqualTo(1002);
    target.assertUnharmed(); // time enough for anything still on its way
    assertThat(carriedAfter.get()).as("datagrams carried of the breaker's 51").isEqualTo(1);
  }

  @Test
  void aPeerThatStopsReadingCannotTakeTheMemoryOfOthers() throws Exception {
    start("", 0);
    RawWebSocket sink = target.attacker(4096);
    byte[] big = new byte[60_000];
    for (int i = 0; i < 1_500; i++) {
      int flow = 1 + i % 20;
      int seq = i / 20;
      sink.binary(
          seq == 0
              ? message(new OpenFrame(flow, echo(), 0), new DataFrame(flow, 0, big))
              : message(new DataFrame(flow, seq, big)));
    }
    // Replies it does not read pile up until the budget says no, then wait out their age.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> server.count("drops", "queue_full") + server.count("drops", "expired") > 0);
    target.assertUnharmed();
  }

  @Test
  void flowsAreRefusedBeforeTheServerRunsOutOfFileDescriptors() throws Exception {
    start("max-flows: 100000", 400);
    List<RawWebSocket> holders = new ArrayList<>();
    for (long free = 400 - server.openFileDescriptors(); free > 100; free--) {
      holders.add(target.attacker(0)); // connections take what flows could have had
    }
    RawWebSocket opener = holders.get(0);
    for (int from = 1; from <= 300; from += 50) {
      List<Frame> frames = new ArrayList<>();
      for (int flow = from; flow < from + 50; flow++) {
        frames.add(new OpenFrame(flow, echo(), 0));
        frames.add(new DataFrame(flow, 0, new byte[] {1}));
      }
      opener.binary(message(frames.toArray(Frame[]::new)));
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> server.count("drops", "flow_limit") >= 200);
    assertThat(server.count("drops", "send_error")).as("sockets that failed").isZero();
    // File descriptors are left for connections: a newcomer gets in, management answers.
    RawWebSocket newcomer = target.attacker(0);
    newcomer.binary(message(new OpenFrame(1, echo(), 0), new DataFrame(1, 0, new byte[] {2})));
    target.assertUnharmed();
  }
}
