package io.sudp.security;

import static io.sudp.security.LoginLimiter.Verdict.GO;
import static io.sudp.security.LoginLimiter.Verdict.TOO_MANY_AT_ONCE;
import static io.sudp.security.LoginLimiter.Verdict.TOO_MANY_FAILURES;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoginLimiterTest {
  private final AtomicLong now = new AtomicLong();
  private final LoginLimiter limiter = new LoginLimiter(now::get);

  private void fail(String source, String name, int times) {
    for (int i = 0; i < times; i++) {
      assertThat(limiter.begin(source, name)).isEqualTo(GO);
      limiter.end(source, name, true);
    }
  }

  @Test
  void attemptsBeingCheckedCountAlready() {
    assertThat(limiter.begin("a", "alice")).isEqualTo(GO);
    assertThat(limiter.begin("a", "alice")).isEqualTo(GO);
    assertThat(limiter.begin("a", "alice")).as("a third at once").isEqualTo(TOO_MANY_AT_ONCE);
    limiter.end("a", "alice", true);
    limiter.end("a", "alice", false);
    fail("a", "alice", 4);
    assertThat(limiter.begin("a", "alice")).as("five failed").isEqualTo(TOO_MANY_FAILURES);
  }

  @Test
  void oneNamesFailuresDoNotLockOutAnotherUntilTheAddressHasFailedOften() {
    fail("nat", "mallory", LoginLimiter.PER_USER);
    assertThat(limiter.begin("nat", "mallory")).isEqualTo(TOO_MANY_FAILURES);
    assertThat(limiter.begin("nat", "alice")).isEqualTo(GO);
    limiter.end("nat", "alice", false);

    for (int i = 1; i < LoginLimiter.PER_SOURCE / LoginLimiter.PER_USER; i++) { // mallory was 1
      fail("nat", "guess" + i, LoginLimiter.PER_USER);
    }
    assertThat(limiter.begin("nat", "alice"))
        .as("the address's ceiling")
        .isEqualTo(TOO_MANY_FAILURES);
    assertThat(limiter.begin("elsewhere", "alice")).isEqualTo(GO);
  }

  @Test
  void aMinuteLaterTheAddressMayTryAgain() {
    fail("a", "alice", LoginLimiter.PER_USER);
    now.addAndGet(TimeUnit.MINUTES.toNanos(1));
    assertThat(limiter.begin("a", "alice")).isEqualTo(GO);
  }

  @Test
  void manyNamesFromOneAddressAreBoundedButStillCounted() {
    for (int i = 0; i < 1_000; i++) {
      LoginLimiter.Verdict verdict = limiter.begin("a", "name" + i);
      if (verdict == GO) {
        limiter.end("a", "name" + i, true);
      }
    }
    assertThat(limiter.begin("a", "fresh")).isEqualTo(TOO_MANY_FAILURES);
  }
}
