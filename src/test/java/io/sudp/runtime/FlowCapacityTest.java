package io.sudp.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FlowCapacityTest {
  private static final long GIB = 1L << 30;

  @Test
  void flowsGetTheFileDescriptorsLeftBesideEveryConnection() {
    FlowCapacity capacity = new FlowCapacity(65_536, () -> 100, 4 * GIB);
    assertThat(capacity.flows(1024 + 256)).isEqualTo(65_536 - 100 - 1280 - 64);
  }

  @Test
  void theHeapBoundsThemToo() {
    FlowCapacity capacity = new FlowCapacity(1_048_576, () -> 100, 128L << 20);
    assertThat(capacity.flows(1280)).isEqualTo((128 << 20) / (16 * 1024));
  }

  @Test
  void fewFileDescriptorsStillLeaveHalfToFlows() {
    FlowCapacity capacity = new FlowCapacity(1024, () -> 120, 4 * GIB);
    assertThat(capacity.flows(1280)).isEqualTo((1024 - 120 - 64) / 2);
    assertThat(capacity.byDescriptors(1280)).isEqualTo((1024 - 120 - 64) / 2);
  }

  @Test
  void aFlowNeedsItsDescriptorBesideTheConnectionsAndAMargin() {
    FlowCapacity capacity = new FlowCapacity(1000, () -> 100, 4 * GIB);
    assertThat(capacity.roomForFlow(300, 1000 - 100 - 300 - FlowCapacity.MARGIN)).isTrue();
    assertThat(capacity.roomForFlow(301, 1000 - 100 - 300 - FlowCapacity.MARGIN)).isFalse();
  }

  @Test
  void descriptorsOpenedByOthersAreCountedAgainAsTheyChange() {
    AtomicLong open = new AtomicLong(100);
    FlowCapacity capacity = new FlowCapacity(1000, open::get, 4 * GIB);
    long flows = 1000 - 100 - FlowCapacity.MARGIN;
    assertThat(capacity.roomForFlow(0, flows)).isTrue();
    open.set(150 + flows); // 50 more of the JVM's, besides the flows' own
    capacity.recount(0, flows);
    assertThat(capacity.roomForFlow(0, flows)).isFalse();
    assertThat(capacity.roomForFlow(0, flows - 50)).isTrue();
  }
}
