package io.sudp.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/**
 * Failures read the same whichever transport (JDK or native epoll) raised them; a file's problem
 * reads as its reason.
 */
class FailuresTest {
  @Test
  void nativeAndJdkBindFailuresReadAlike() {
    Exception epoll =
        new IllegalStateException(
            "wrapped", new IOException("bind(..) failed with error(-98): Address already in use"));
    Exception jdk =
        new IllegalStateException("wrapped", new BindException("Address already in use"));

    assertThat(Failures.describe(epoll)).isEqualTo("Address already in use");
    assertThat(Failures.describe(jdk)).isEqualTo("Address already in use");
    assertThat(Failures.isAddressInUse(epoll)).isTrue();
    assertThat(Failures.isAddressInUse(new IOException("Connection refused"))).isFalse();
  }

  @Test
  void aFileProblemIsTheReasonNotTheFileName() {
    assertThat(
            Failures.fileProblem(
                new FileSystemException("/run/x.pid", null, "Read-only file system")))
        .isEqualTo("Read-only file system");
    assertThat(Failures.fileProblem(new AccessDeniedException("/run/x.pid")))
        .isEqualTo("Permission denied");
    assertThat(Failures.fileProblem(new NoSuchFileException("/run/x.pid")))
        .isEqualTo("No such file or directory");
    assertThat(Failures.fileProblem(new IOException("No space left on device")))
        .isEqualTo("No space left on device");
  }
}
