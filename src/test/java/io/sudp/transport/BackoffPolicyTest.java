package io.sudp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LongSummaryStatistics;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@link BackoffPolicy}: the delay grows by the multiplier per failure up to the maximum, and is
 * "equal jitter" of it: never less than half, never more than the whole, spread between the two.
 */
class BackoffPolicyTest {
  private static final int SAMPLES = 2_000;

  private static LongSummaryStatistics delays(BackoffPolicy policy, int failures) {
    return IntStream.range(0, SAMPLES)
        .mapToLong(i -> policy.delayMillis(failures))
        .summaryStatistics();
  }

  @Test
  void growsByTheMultiplierPerFailureWithHalfFixedAndHalfRandom() {
    BackoffPolicy policy = new BackoffPolicy(Duration.ofMillis(100), Duration.ofSeconds(10), 3.0);
    long[] ceilings = {100, 300, 900, 2_700, 8_100};
    for (int failures = 0; failures < ceilings.length; failures++) {
      LongSummaryStatistics delays = delays(policy, failures);
      long ceiling = ceilings[failures];
      assertThat(delays.getMin())
          .as("after %d failures", failures)
          .isGreaterThanOrEqualTo(ceiling / 2);
      assertThat(delays.getMax()).as("after %d failures", failures).isLessThanOrEqualTo(ceiling);
      // Spread: clients cut off together must not all come back at the same moment.
      assertThat(delays.getMin()).isLessThan(ceiling / 2 + ceiling / 10);
      assertThat(delays.getMax()).isGreaterThan(ceiling - ceiling / 10);
    }
  }

  @Test
  void stopsGrowingAtTheMaximumEvenAfterVeryManyFailures() {
    BackoffPolicy policy = BackoffPolicy.DEFAULT;
    for (int failures : new int[] {4, 10, 62, 63, 1_000, Integer.MAX_VALUE}) {
      LongSummaryStatistics delays = delays(policy, failures);
      assertThat(delays.getMin()).as("after %d failures", failures).isGreaterThanOrEqualTo(500);
      assertThat(delays.getMax()).as("after %d failures", failures).isLessThanOrEqualTo(1_000);
    }
  }

  @Test
  void neverRetriesAtOnce() {
    BackoffPolicy policy = new BackoffPolicy(Duration.ofMillis(1), Duration.ofMillis(1), 1.0);
    assertThat(delays(policy, 0).getMin()).isEqualTo(1);
    assertThat(delays(policy, 5).getMax()).isEqualTo(1);
  }
}
