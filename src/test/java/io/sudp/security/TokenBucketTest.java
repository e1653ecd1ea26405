package io.sudp.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  private final AtomicLong now = new AtomicLong(123_456_789); // any start: only differences count

  private void elapse(Duration time) {
    now.addAndGet(time.toNanos());
  }

  @Test
  void startsFullWithOneSecondsWorth() {
    TokenBucket bucket = new TokenBucket(1000, now::get);

    assertThat(bucket.tryTake(1000)).isTrue();
    assertThat(bucket.tryTake(1)).isFalse();
  }

  @Test
  void aTakeThatDoesNotFitTakesNothing() {
    TokenBucket bucket = new TokenBucket(10, now::get);

    assertThat(bucket.tryTake(11)).isFalse();
    assertThat(bucket.tryTake(10)).as("all ten still there").isTrue();
  }

  @Test
  void refillsAtItsRateAsTimePasses() {
    TokenBucket bucket = new TokenBucket(1000, now::get);
    bucket.tryTake(1000);

    elapse(Duration.ofMillis(100).plusNanos(1_000)); // 100.001 tokens
    assertThat(bucket.tryTake(100)).isTrue();
    assertThat(bucket.tryTake(1)).isFalse();

    elapse(Duration.ofMillis(1)); // 1.001 tokens
    assertThat(bucket.tryTake(1)).isTrue();
    assertThat(bucket.tryTake(1)).isFalse();
  }

  @Test
  void aQuietSpellSavesUpNoMoreThanOneSecondsWorth() {
    TokenBucket bucket = new TokenBucket(1000, now::get);
    bucket.tryTake(1000);

    elapse(Duration.ofHours(1));
    assertThat(bucket.tryTake(1000)).isTrue();
    assertThat(bucket.tryTake(1)).isFalse();
  }
}
