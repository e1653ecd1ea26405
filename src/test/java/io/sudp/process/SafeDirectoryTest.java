package io.sudp.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The directory of an instance's PID, log and console files: made private, refused where another
 * user could have put links in it (the default one lies in the shared temporary directory).
 */
class SafeDirectoryTest {
  @TempDir Path dir;

  private static int uid(Path path) throws IOException {
    return (int) Files.getAttribute(path, "unix:uid");
  }

  @Test
  void aNewDirectoryIsPrivate() throws IOException {
    Path run = dir.resolve("a/sudp-me");
    SafeDirectory.prepare(run);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(run)))
        .isEqualTo("rwx------");
    SafeDirectory.prepare(run); // and taken as it is the next time
  }

  @Test
  void aDirectoryOthersMayWriteToIsRefusedUnlessSticky() throws IOException {
    Path shared = Files.createDirectory(dir.resolve("shared"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThatThrownBy(() -> SafeDirectory.prepare(shared))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("can be written by others (mode 777)");

    Files.setAttribute(shared, "unix:mode", 01777);
    SafeDirectory.prepare(shared); // like /tmp: nobody may replace another's files
  }

  @Test
  void anotherUsersDirectoryIsRefusedAlsoBehindALink() throws IOException {
    assumeTrue(uid(Path.of("/proc/self")) == 0, "only root can give a directory away");
    Path planted = Files.createDirectory(dir.resolve("sudp-root"));
    Files.setAttribute(planted, "unix:uid", 4242);
    assertThatThrownBy(() -> SafeDirectory.prepare(planted))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("belongs to another user (uid 4242)");

    Path link = Files.createSymbolicLink(dir.resolve("run"), planted);
    assertThatThrownBy(() -> SafeDirectory.prepare(link))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("belongs to another user (uid 4242)");
  }
}
