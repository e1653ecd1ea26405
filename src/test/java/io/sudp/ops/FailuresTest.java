package io.sudp.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.BindException;
import org.junit.jupiter.api.Test;

/** Failures read the same whichever transport (JDK or native epoll) raised them. */
class FailuresTest {
  @Test
  void nativeAndJdkBindFailuresReadAlike() {
    Exception epoll = new IllegalStateException("wrapped",
        new IOException("bind(..) failed with error(-98): Address already in use"));
    Exception jdk = new IllegalStateException("wrapped",
        new BindException("Address already in use"));

    assertThat(Failures.describe(epoll)).isEqualTo("Address already in use");
    assertThat(Failures.describe(jdk)).isEqualTo("Address already in use");
    assertThat(Failures.isAddressInUse(epoll)).isTrue();
    assertThat(Failures.isAddressInUse(new IOException("Connection refused"))).isFalse();
  }
}
