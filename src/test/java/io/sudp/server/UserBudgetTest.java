package io.sudp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.sudp.destination.AllowRule;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A user's limits are what the configuration says, whatever has been used; what is used is counted
 * in a budget the server makes from them.
 */
class UserBudgetTest {
  private static final UserLimits TWO_FLOWS_ONE_DATAGRAM =
      new UserLimits(List.of(AllowRule.parse("192.0.2.53:53")), 1, 2, 1, 0);

  @Test
  void flowsBeyondTheLimitAreRefusedUntilOneCloses() {
    UserBudget budget = new UserBudget(TWO_FLOWS_ONE_DATAGRAM);
    assertThat(budget.tryOpenFlow()).isTrue();
    assertThat(budget.tryOpenFlow()).isTrue();
    assertThat(budget.tryOpenFlow()).isFalse();
    budget.flowClosed();
    assertThat(budget.tryOpenFlow()).isTrue();
  }

  @Test
  void datagramsBeyondTheRateAreRefused() {
    UserBudget budget = new UserBudget(TWO_FLOWS_ONE_DATAGRAM);
    assertThat(budget.admit(100)).isTrue();
    assertThat(budget.admit(100)).isFalse(); // a second's worth is one datagram
  }

  @Test
  void bytesBeyondTheRateAreRefused() {
    UserBudget budget = new UserBudget(new UserLimits(List.of(), 0, 0, 0, 1000));
    assertThat(budget.admit(1000)).isTrue();
    assertThat(budget.admit(500)).isFalse(); // half a second would refill it
  }

  @Test
  void budgetsMadeFromTheSameLimitsAreEachTheirOwn() {
    UserBudget used = new UserBudget(TWO_FLOWS_ONE_DATAGRAM);
    used.tryOpenFlow();
    used.tryOpenFlow();
    assertThat(new UserBudget(TWO_FLOWS_ONE_DATAGRAM).tryOpenFlow()).isTrue();
  }

  @Test
  void limitsAreValuesThatUseDoesNotChange() {
    UserBudget budget = new UserBudget(TWO_FLOWS_ONE_DATAGRAM);
    budget.tryOpenFlow();
    budget.admit(10);
    assertThat(TWO_FLOWS_ONE_DATAGRAM)
        .isEqualTo(new UserLimits(List.of(AllowRule.parse("192.0.2.53:53")), 1, 2, 1, 0))
        .isNotEqualTo(new UserLimits(List.of(), 1, 2, 1, 0));
    assertThat(budget.allow()).isEqualTo(TWO_FLOWS_ONE_DATAGRAM.allow());
  }

  @Test
  void noLimitsLimitNothing() {
    UserBudget budget = new UserBudget(UserLimits.NONE);
    for (int i = 0; i < 10_000; i++) {
      assertThat(budget.tryOpenFlow()).isTrue();
      assertThat(budget.admit(65_507)).isTrue();
    }
  }
}
