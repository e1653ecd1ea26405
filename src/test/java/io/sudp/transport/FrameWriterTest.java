package io.sudp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.sudp.ops.Direction;
import io.sudp.ops.DropCause;
import io.sudp.ops.TrafficCounters;
import io.sudp.protocol.CloseFrame;
import io.sudp.protocol.DataFrame;
import io.sudp.protocol.Destination;
import io.sudp.protocol.FlowCloseReason;
import io.sudp.protocol.FlowSequence;
import io.sudp.protocol.Frame;
import io.sudp.protocol.Limits;
import io.sudp.protocol.OpenFrame;
import io.sudp.protocol.OutboundData;
import io.sudp.protocol.OutboundOpen;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One writer's queue on an {@link EmbeddedChannel}'s event loop, whose time stands still until the
 * test moves it: its bounds and what it counts when it drops, how it packs what waits into
 * messages, and how it waits for a socket that is full, closed or not there.
 */
class FrameWriterTest {
  private static final Duration MAX_AGE = Duration.ofSeconds(3);
  private static final QueueLimits ROOMY = new QueueLimits(100_000, 1 << 30, MAX_AGE);

  private final EmbeddedChannel channel = new EmbeddedChannel();
  private final AtomicLong now = new AtomicLong();
  private final TrafficCounters counters = new TrafficCounters();
  private final WebSocketStub socket = new WebSocketStub();
  private final FlowSequence sequence = new FlowSequence();

  FrameWriterTest() {
    channel.freezeTime();
  }

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  private FrameWriter writer(QueueLimits limits, QueueBudget budget) {
    return new FrameWriter(limits, counters, Direction.DOWNSTREAM, budget, now::get);
  }

  private FrameWriter writer(QueueLimits limits) {
    return writer(limits, QueueBudget.UNBOUNDED);
  }

  /** A datagram of flow 1 whose frame takes {@code frameBytes}, header included. */
  private OutboundData datagram(int frameBytes) {
    return new OutboundData(1, sequence, new byte[frameBytes - Limits.DATA_HEADER]);
  }

  private static CloseFrame close(int flow) {
    return new CloseFrame(flow, FlowCloseReason.NORMAL);
  }

  private void runLoop() {
    channel.runPendingTasks();
    channel.checkException();
  }

  /** Moves the writer's clock and the loop's together, running what falls due. */
  private void elapse(Duration time) {
    now.addAndGet(time.toNanos());
    channel.advanceTimeBy(time.toNanos(), TimeUnit.NANOSECONDS);
    runLoop();
  }

  private void attach(FrameWriter writer, WebSocketStub to, List<Frame> preamble) {
    writer.attach(to.socket(), channel.eventLoop(), preamble);
    runLoop();
  }

  private void attach(FrameWriter writer) {
    attach(writer, socket, List.of());
  }

  private List<Frame> written() throws Exception {
    return socket.messages().stream().flatMap(List::stream).toList();
  }

  private static List<Integer> sequenceNumbers(List<Frame> frames) {
    return frames.stream().map(frame -> ((DataFrame) frame).seq()).toList();
  }

  @Test
  void aDatagramOverTheFrameBoundIsDroppedAsQueueFull() {
    FrameWriter writer = writer(new QueueLimits(3, 1 << 20, MAX_AGE));

    for (int i = 0; i < 3; i++) {
      assertThat(writer.offer(datagram(100))).isTrue();
    }
    assertThat(writer.offer(datagram(100))).isFalse();
    assertThat(counters.drops(DropCause.QUEUE_FULL)).isEqualTo(1);
    assertThat(writer.depth()).isEqualTo(3);
  }

  @Test
  void aDatagramOverTheByteBoundIsDroppedAndHoldsNoRoom() {
    FrameWriter writer = writer(new QueueLimits(100, 250, MAX_AGE));

    assertThat(writer.offer(datagram(100))).isTrue();
    assertThat(writer.offer(datagram(100))).isTrue();
    assertThat(writer.offer(datagram(51))).as("251 bytes").isFalse();
    assertThat(writer.offer(datagram(50))).as("exactly 250 bytes").isTrue();
    assertThat(counters.drops(DropCause.QUEUE_FULL)).isEqualTo(1);
    assertThat(writer.depth()).isEqualTo(3);
  }

  @Test
  void aRefusedControlFrameIsNoDatagramLost() {
    FrameWriter writer = writer(new QueueLimits(1, 1 << 20, MAX_AGE));
    writer.offer(datagram(100));

    assertThat(writer.offer(close(1))).isFalse();
    assertThat(counters.drops(DropCause.QUEUE_FULL)).isZero();
  }

  @Test
  void whatWaitsIsPackedInOrderIntoMessagesOfUpToTheSizeLimit() throws Exception {
    FrameWriter writer = writer(ROOMY);
    for (int i = 0; i < 10; i++) {
      writer.offer(datagram(10_000)); // 6 fit in 64 KiB, 7 do not
    }

    attach(writer);

    assertThat(socket.sizes()).containsExactly(60_000, 40_000);
    assertThat(sequenceNumbers(socket.messages().get(0))).containsExactly(0, 1, 2, 3, 4, 5);
    assertThat(sequenceNumbers(socket.messages().get(1))).containsExactly(6, 7, 8, 9);
    assertThat(writer.datagramsWritten()).isEqualTo(10);
    assertThat(counters.downstreamDatagrams()).isEqualTo(10);
    assertThat(counters.downstreamBytes()).isEqualTo(10 * (10_000 - Limits.DATA_HEADER));
    assertThat(writer.depth()).isZero();
  }

  @Test
  void aBurstOfferedBeforeTheLoopRunsTravelsAsOneMessage() throws Exception {
    FrameWriter writer = writer(ROOMY);
    attach(writer);

    for (int i = 0; i < 50; i++) {
      writer.offer(datagram(100));
    }
    runLoop();

    assertThat(socket.sizes()).containsExactly(50 * 100);
  }

  @Test
  void thePreambleGoesFirstInMessagesOfUpToTheSizeLimit() throws Exception {
    FrameWriter writer = writer(ROOMY);
    writer.offer(datagram(100));
    List<Frame> preamble = new ArrayList<>();
    Destination destination = Destination.parse("192.0.2.1:53");
    for (int flow = 1; flow <= 10_000; flow++) {
      preamble.add(new OutboundOpen(flow, destination, new FlowSequence()));
    }

    attach(writer, socket, preamble);

    List<List<Frame>> messages = socket.messages();
    int last = messages.size() - 1;
    assertThat(messages.get(last))
        .as("what was queued")
        .singleElement()
        .isInstanceOf(DataFrame.class);
    assertThat(
            messages.subList(0, last).stream()
                .flatMap(List::stream)
                .map(frame -> ((OpenFrame) frame).flowId()))
        .hasSize(10_000)
        .isSorted();
    int open = preamble.get(0).encodedLength();
    assertThat(socket.sizes().subList(0, last - 1))
        .as("each message of the preamble but its last has no room for one frame more")
        .allMatch(size -> size <= FrameWriter.BATCH_BYTES && size + open > FrameWriter.BATCH_BYTES);
  }

  @Test
  void aFullSocketPausesTheWriterUntilItDrains() throws Exception {
    FrameWriter writer = writer(ROOMY);
    for (int i = 0; i < 10; i++) {
      writer.offer(datagram(10_000));
    }
    socket.roomFor(1);

    attach(writer);
    runLoop();
    assertThat(socket.sizes()).as("one message, then full").hasSize(1);
    assertThat(writer.depth()).isEqualTo(4);

    socket.drain();
    runLoop();
    assertThat(sequenceNumbers(written())).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    assertThat(writer.depth()).isZero();
  }

  @Test
  void whatWaitsForAClosedSocketGoesToTheNextOne() throws Exception {
    FrameWriter writer = writer(ROOMY);
    WebSocketStub closed = new WebSocketStub();
    closed.close();
    attach(writer, closed, List.of());

    writer.offer(datagram(100));
    runLoop();
    assertThat(closed.sizes()).isEmpty();
    writer.detach();
    writer.offer(datagram(100));
    attach(writer);

    assertThat(sequenceNumbers(written())).containsExactly(0, 1);
    assertThat(writer.depth()).isZero();
  }

  @Test
  void aDatagramThatWaitedLongerThanMaxAgeIsDroppedAsExpiredInsteadOfSent() throws Exception {
    FrameWriter writer = writer(ROOMY);
    writer.offer(datagram(100));
    writer.offer(close(7));
    elapse(MAX_AGE.plusNanos(1));
    writer.offer(datagram(100));

    attach(writer);

    List<Frame> written = written();
    assertThat(written).hasSize(2);
    assertThat(written.get(0)).as("control frames do not expire").isEqualTo(close(7));
    assertThat(sequenceNumbers(written.subList(1, 2)))
        .as("the dropped one took no number")
        .containsExactly(0);
    assertThat(counters.drops(DropCause.EXPIRED)).isEqualTo(1);
    assertThat(counters.downstreamDatagrams()).isEqualTo(1);
  }

  @Test
  void datagramsExpireWhileTheirPeerIsAwayAndGiveTheirBytesBack() {
    QueueBudget budget = QueueBudget.pool(1 << 20);
    FrameWriter writer = writer(ROOMY, budget);
    attach(writer);
    writer.detach();
    writer.offer(datagram(100));
    writer.offer(close(7));

    elapse(MAX_AGE);
    assertThat(writer.depth()).as("not older than the max age yet").isEqualTo(2);
    elapse(MAX_AGE);

    assertThat(counters.drops(DropCause.EXPIRED)).isEqualTo(1);
    assertThat(writer.depth()).isEqualTo(1);
    assertThat(budget.pooled()).isEqualTo(close(7).encodedLength());
  }

  @Test
  void datagramsExpireWhileTheSocketIsFull() {
    FrameWriter writer = writer(ROOMY);
    socket.roomFor(0);
    attach(writer);
    writer.offer(datagram(100));
    runLoop();

    elapse(MAX_AGE.multipliedBy(2));

    assertThat(counters.drops(DropCause.EXPIRED)).isEqualTo(1);
    assertThat(writer.depth()).isZero();
    assertThat(socket.sizes()).isEmpty();
  }

  @Test
  void withoutAMaxAgeDatagramsWaitAsLongAsItTakes() throws Exception {
    FrameWriter writer = writer(new QueueLimits(100, 1 << 20, Duration.ZERO));
    writer.offer(datagram(100));
    elapse(Duration.ofHours(1));

    attach(writer);

    assertThat(sequenceNumbers(written())).containsExactly(0);
    assertThat(counters.drops(DropCause.EXPIRED)).isZero();
  }

  @Test
  void whatIsWrittenGivesItsPooledBytesBack() {
    QueueBudget budget = QueueBudget.pool(1_000);
    FrameWriter writer = writer(ROOMY, budget);
    for (int i = 0; i < 5; i++) {
      writer.offer(datagram(100));
    }
    assertThat(budget.pooled()).isEqualTo(500);

    attach(writer);

    assertThat(budget.pooled()).isZero();
  }

  @Test
  void discardCountsEveryDatagramByTheCauseGivenAndNoControlFrame() {
    FrameWriter writer = writer(ROOMY);
    writer.offer(datagram(100));
    writer.offer(close(7));
    writer.offer(datagram(100));

    writer.discard(DropCause.SHUTDOWN);
    attach(writer);

    assertThat(counters.drops(DropCause.SHUTDOWN)).isEqualTo(2);
    assertThat(writer.depth()).isZero();
    assertThat(socket.sizes()).isEmpty();
  }

  @Test
  void aShutdownWaitsUntilEverythingQueuedIsWritten() {
    FrameWriter writer = writer(ROOMY);
    assertThat(writer.whenEmpty()).as("nothing queued").isDone();
    writer.offer(datagram(100));
    writer.offer(datagram(100));

    assertThat(FrameWriter.awaitEmpty(List.of(writer), Duration.ZERO)).as("left").isEqualTo(2);
    CompletableFuture<Void> empty = writer.whenEmpty();
    assertThat(empty).as("no socket to write to").isNotDone();
    attach(writer);

    assertThat(empty).isDone();
  }
}
