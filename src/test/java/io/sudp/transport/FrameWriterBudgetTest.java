package io.sudp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.sudp.ops.Direction;
import io.sudp.ops.DropCause;
import io.sudp.ops.TrafficCounters;
import io.sudp.protocol.FlowSequence;
import io.sudp.protocol.Limits;
import io.sudp.protocol.OutboundData;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Queues of peers that are not reading (no socket attached) sharing one budget: each keeps its
 * share whatever the others hold, the pool is first come first served, and what leaves a queue
 * gives its bytes back.
 */
class FrameWriterBudgetTest {
  private static final int FRAME = 100; // bytes of each frame, header included

  private final TrafficCounters counters = new TrafficCounters();
  private final QueueBudget budget = QueueBudget.of(1_000, 1); // a share of 500, a pool of 500

  private FrameWriter writer() {
    return new FrameWriter(
        new QueueLimits(1_000, 1 << 20, Duration.ofSeconds(3)),
        counters,
        Direction.DOWNSTREAM,
        budget);
  }

  private static OutboundData frame() {
    return new OutboundData(1, new FlowSequence(), new byte[FRAME - Limits.DATA_HEADER]);
  }

  private static int offered(FrameWriter writer, int frames) {
    int taken = 0;
    for (int i = 0; i < frames; i++) {
      taken += writer.offer(frame()) ? 1 : 0;
    }
    return taken;
  }

  @Test
  void aQueueWithinItsShareHasRoomWhateverOthersHold() {
    FrameWriter stalled = writer();
    FrameWriter reading = writer();
    assertThat(offered(stalled, 20)).as("its share, then the whole pool").isEqualTo(10);
    assertThat(budget.pooled()).isEqualTo(500);

    assertThat(offered(reading, 6)).as("its share, and no pool left").isEqualTo(5);
    assertThat(counters.drops(DropCause.QUEUE_FULL)).isEqualTo(10 + 1);
  }

  @Test
  void whatLeavesAQueueGivesItsBytesBack() {
    FrameWriter stalled = writer();
    FrameWriter other = writer();
    offered(stalled, 10);
    stalled.discard(DropCause.CONNECTION_LOST);
    assertThat(budget.pooled()).isZero();
    assertThat(stalled.depth()).isZero();
    assertThat(offered(other, 10)).isEqualTo(10);
  }
}
