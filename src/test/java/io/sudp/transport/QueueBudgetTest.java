package io.sudp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueueBudgetTest {
  @Test
  void halfIsSplitIntoSharesTheOtherHalfIsThePool() {
    QueueBudget budget = QueueBudget.of(1_001, 4);

    assertThat(budget.share()).isEqualTo(500 / 4);
    assertThat(budget.tryTake(501)).as("the pool: what the shares leave").isTrue();
    assertThat(budget.tryTake(1)).isFalse();
  }

  @Test
  void noSessionsIsOneShare() {
    assertThat(QueueBudget.of(1_000, 0).share()).isEqualTo(500);
  }

  @Test
  void aTakeThatDoesNotFitTakesNothingAndWhatIsReleasedCanBeTakenAgain() {
    QueueBudget budget = QueueBudget.pool(100);

    assertThat(budget.share()).as("a pool has no shares").isZero();
    assertThat(budget.tryTake(60)).isTrue();
    assertThat(budget.tryTake(41)).isFalse();
    assertThat(budget.pooled()).isEqualTo(60);
    assertThat(budget.tryTake(40)).isTrue();

    budget.release(60);
    assertThat(budget.pooled()).isEqualTo(40);
    assertThat(budget.tryTake(60)).isTrue();
    assertThat(budget.tryTake(1)).isFalse();
  }
}
