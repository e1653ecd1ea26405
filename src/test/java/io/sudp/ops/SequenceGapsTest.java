package io.sudp.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SequenceGapsTest {
  private static final long ANY = Long.MAX_VALUE;

  @Test
  void numbersInOrderShowNothingLost() {
    SequenceGaps gaps = new SequenceGaps(5);
    assertThat(gaps.observe(5, 0, ANY)).isZero();
    assertThat(gaps.observe(6, 0, ANY)).isZero();
  }

  @Test
  void aJumpIsThatManyLostAndTheMissingOnesMayStillArriveLate() {
    SequenceGaps gaps = new SequenceGaps(0);
    assertThat(gaps.observe(3, ANY, ANY)).isEqualTo(3);
    assertThat(gaps.observe(1, 0, ANY)).isEqualTo(SequenceGaps.LATE);
    assertThat(gaps.observe(2, 0, ANY)).isEqualTo(SequenceGaps.LATE);
    assertThat(gaps.observe(0, 0, ANY)).isEqualTo(SequenceGaps.LATE);
    assertThat(gaps.observe(2, 0, ANY)).as("more late ones than were missing: nothing").isZero();
    assertThat(gaps.observe(4, 0, ANY)).isZero();
  }

  @Test
  void aJumpPastWhereOneMayGoChangesNothing() {
    SequenceGaps gaps = new SequenceGaps(0);
    assertThat(gaps.observe(11, 10, ANY)).isEqualTo(SequenceGaps.IMPLAUSIBLE);
    assertThat(gaps.observe(1, 0, ANY)).isEqualTo(SequenceGaps.IMPLAUSIBLE);
    assertThat(gaps.observe(0, 0, ANY)).as("still expecting the first").isZero();
  }

  @Test
  void onlyWhatTheCallerAllowsOfAJumpCountsAsLost() {
    SequenceGaps gaps = new SequenceGaps(0);
    assertThat(gaps.observe(1 << 30, ANY, 100)).isEqualTo(100);
    assertThat(gaps.observe((1 << 30) + 1, 0, 100)).isZero();
    for (int late = 0; late < 100; late++) {
      assertThat(gaps.observe(late, 0, ANY)).isEqualTo(SequenceGaps.LATE);
    }
    assertThat(gaps.observe(500, 0, ANY)).as("late, but never counted lost").isZero();
  }

  @Test
  void numbersWrapAroundAtTwoToThe32() {
    SequenceGaps gaps = new SequenceGaps(-2); // 4294967294 unsigned
    assertThat(gaps.observe(-2, 0, ANY)).isZero();
    assertThat(gaps.observe(-1, 0, ANY)).isZero();
    assertThat(gaps.observe(1, 5, ANY)).isEqualTo(1);
  }

  @Test
  void aRestartExpectsTheNewFirstAndForgetsWhatWasMissing() {
    SequenceGaps gaps = new SequenceGaps(0);
    assertThat(gaps.observe(10, ANY, ANY)).isEqualTo(10);

    gaps.restart(0);
    assertThat(gaps.observe(0, 0, ANY)).as("the new first").isZero();
    assertThat(gaps.observe(1, 0, ANY)).isZero();
    assertThat(gaps.observe(0, 0, ANY)).as("the old gap explains nothing now").isZero();
  }

  @Test
  void countersFollowWhatWasObserved() {
    TrafficCounters counters = new TrafficCounters();
    SequenceGaps gaps = new SequenceGaps(0);
    counters.sequence(gaps.observe(4, ANY, ANY));
    counters.sequence(gaps.observe(2, 0, ANY));
    counters.sequence(gaps.observe(1 << 30, 10, ANY));
    assertThat(counters.lost()).isEqualTo(3);
    assertThat(counters.reordered()).isEqualTo(1);
  }
}
