package io.sudp.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SequenceGapsTest {
  @Test
  void numbersInOrderShowNothingLost() {
    SequenceGaps gaps = new SequenceGaps(5);
    assertThat(gaps.observe(5, 0)).isZero();
    assertThat(gaps.observe(6, 0)).isZero();
  }

  @Test
  void aJumpWithinTheAllowanceIsThatManyLostAndTheMissingOnesMayStillArriveLate() {
    SequenceGaps gaps = new SequenceGaps(0);
    assertThat(gaps.observe(3, 10)).isEqualTo(3);
    assertThat(gaps.observe(1, 0)).isEqualTo(SequenceGaps.LATE);
    assertThat(gaps.observe(2, 0)).isEqualTo(SequenceGaps.LATE);
    assertThat(gaps.observe(0, 0)).isEqualTo(SequenceGaps.LATE);
    assertThat(gaps.observe(2, 0)).as("more late ones than were missing")
        .isEqualTo(SequenceGaps.IMPLAUSIBLE);
    assertThat(gaps.observe(4, 0)).isZero();
  }

  @Test
  void aJumpPastTheAllowanceChangesNothing() {
    SequenceGaps gaps = new SequenceGaps(0);
    assertThat(gaps.observe(11, 10)).isEqualTo(SequenceGaps.IMPLAUSIBLE);
    assertThat(gaps.observe(1 << 30, SequenceGaps.MAX_IN_FLIGHT))
        .isEqualTo(SequenceGaps.IMPLAUSIBLE);
    assertThat(gaps.observe(0, 0)).as("still expecting the first").isZero();
  }

  @Test
  void aNumberFromThePastWithoutAGapIsImplausible() {
    SequenceGaps gaps = new SequenceGaps(10);
    assertThat(gaps.observe(9, 0)).isEqualTo(SequenceGaps.IMPLAUSIBLE);
  }

  @Test
  void numbersWrapAroundAtTwoToThe32() {
    SequenceGaps gaps = new SequenceGaps(-2); // 4294967294 unsigned
    assertThat(gaps.observe(-2, 0)).isZero();
    assertThat(gaps.observe(-1, 0)).isZero();
    assertThat(gaps.observe(1, 5)).isEqualTo(1);
  }

  @Test
  void countersFollowWhatWasObserved() {
    TrafficCounters counters = new TrafficCounters();
    SequenceGaps gaps = new SequenceGaps(0);
    counters.sequence(gaps.observe(4, 10));
    counters.sequence(gaps.observe(2, 0));
    counters.sequence(gaps.observe(1 << 30, 10));
    assertThat(counters.lost()).isEqualTo(3);
    assertThat(counters.reordered()).isEqualTo(1);
  }
}
