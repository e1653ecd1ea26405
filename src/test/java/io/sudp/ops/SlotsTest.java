package io.sudp.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SlotsTest {
  @Test
  void takesUpToItsCeilingAndAgainWhatIsGivenBack() {
    Slots slots = new Slots(2);

    assertThat(slots.tryTake()).isTrue();
    assertThat(slots.tryTake()).isTrue();
    assertThat(slots.tryTake()).as("over the ceiling").isFalse();
    assertThat(slots.used()).as("a refusal takes nothing").isEqualTo(2);

    slots.release(2);
    assertThat(slots.used()).isZero();
    assertThat(slots.tryTake()).isTrue();
    assertThat(slots.max()).isEqualTo(2);
  }

  @Test
  void aCeilingOfZeroRefusesEverything() {
    assertThat(new Slots(0).tryTake()).isFalse();
  }
}
