package io.sudp.process;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Makes the directory of a PID, log or console file and checks that nobody else can put files in
 * it. The default directory of an instance's files is {@code sudp-USER} in the shared temporary
 * directory: another local user could make it first and leave links in it, so that a start as root
 * truncates or appends to any file the link names. A directory that another user (root aside) owns,
 * or that others may write to without the sticky bit, is refused, links followed.
 */
public final class SafeDirectory {
  private static final Path SELF = Path.of("/proc/self");
  private static final int GROUP_OR_OTHERS_WRITE = 0022;
  private static final int STICKY = 01000;

  private SafeDirectory() {}

  /** Creates {@code dir} (new directories private to this user) and checks it; see above. */
  public static void prepare(Path dir) throws IOException {
    Path absolute = dir.toAbsolutePath();
    if (!Files.isDirectory(absolute)) {
      Files.createDirectories(absolute.getParent());
      try {
        Files.createDirectory(
            absolute,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } catch (FileAlreadyExistsException madeMeanwhile) {
        // checked below like any directory found
      } catch (UnsupportedOperationException noPosix) {
        Files.createDirectories(absolute);
      }
    }
    check(absolute);
  }

  private static void check(Path dir) throws IOException {
    if (!Files.exists(SELF)) {
      return; // not Linux: no /proc to learn this process's user from
    }
    Path real = dir.toRealPath();
    int self = (int) Files.getAttribute(SELF, "unix:uid");
    int owner = (int) Files.getAttribute(real, "unix:uid");
    int mode = (int) Files.getAttribute(real, "unix:mode");
    if (owner != self && owner != 0) {
      throw new IOException(
          dir
              + " belongs to another user (uid "
              + owner
              + "): its files"
              + " could be links to anything; remove it, or set daemon.pid-file and daemon.log-file"
              + " to a directory of yours");
    }
    if ((mode & GROUP_OR_OTHERS_WRITE) != 0 && (mode & STICKY) == 0) {
      throw new IOException(
          dir
              + " can be written by others (mode "
              + Integer.toOctalString(mode & 07777)
              + "): make it chmod go-w, or use another");
    }
  }
}
