package io.sudp.process;

import io.sudp.ops.Failures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The PID file of a running instance, locked while the process lives: a second process of the same
 * instance cannot take it, and a file left by a process that died (SIGKILL, a crash) is not locked,
 * so it is known to be stale and replaced. The lock, not the number inside, decides.
 */
public final class PidFile implements AutoCloseable {
  /**
   * More than any PID takes: a PID file is read no further (it may be a device that never ends).
   */
  private static final int MAX_BYTES = 32;

  private final Path path;
  private final FileChannel channel;
  private final FileLock lock;
  private final Optional<Long> stalePid;

  private PidFile(Path path, FileChannel channel, FileLock lock, Optional<Long> stalePid) {
    this.path = path;
    this.channel = channel;
    this.lock = lock;
    this.stalePid = stalePid;
  }

  /** Thrown when another live process holds the PID file. */
  public static final class HeldException extends IOException {
    HeldException(String message) {
      super(message);
    }
  }

  /**
   * Takes {@code path} for this process and writes its PID into it, creating the directory. A PID
   * that cannot be written whole (a full disk, an I/O error) leaves no file behind: an instance
   * must never run with a PID file that does not name it, or {@code stop} would not find it.
   *
   * @throws HeldException if another process holds it
   * @throws IOException saying which file and why, if it cannot be taken or written
   */
  public static PidFile acquire(Path path) throws IOException {
    FileChannel channel;
    try {
      SafeDirectory.prepare(path.toAbsolutePath().getParent());
      channel =
          FileChannel.open(
              path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw cannotWrite(path, e, "");
    }
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      channel.close();
      throw new HeldException(
          "already running"
              + readPid(path).map(pid -> " (pid " + pid + ")").orElse("")
              + ": "
              + path
              + " is held by a live process");
    }
    try {
      // Read through the locked channel: closing any other descriptor of the file would release
      // the lock (POSIX locks belong to the process and the file, not to a descriptor).
      ByteBuffer old = ByteBuffer.allocate(MAX_BYTES);
      channel.read(old, 0);
      PidFile file =
          new PidFile(
              path,
              channel,
              lock,
              parsePid(new String(old.array(), 0, old.position(), StandardCharsets.US_ASCII)));
      channel.truncate(0);
      ByteBuffer pid =
          ByteBuffer.wrap(
              (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII));
      while (pid.hasRemaining()) { // a short write is followed by one that says why it failed
        channel.write(pid, pid.position());
      }
      channel.force(false);
      return file;
    } catch (IOException e) {
      throw cannotWrite(path, e, discard(path, channel, lock));
    }
  }

  private static IOException cannotWrite(Path path, IOException cause, String more) {
    return new IOException(
        "cannot write the PID file " + path + ": " + Failures.fileProblem(cause) + more, cause);
  }

  /** Removes a PID file this process could not write, then lets it go; what was left, if any. */
  private static String discard(Path path, FileChannel channel, FileLock lock) {
    String left = "";
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      left = " (and it cannot be removed: " + Failures.fileProblem(e) + ")";
    }
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // closing lets the lock go in any case
    }
    return left;
  }

  /** The PID written in {@code path}, if the file exists and holds one. */
  public static Optional<Long> readPid(Path path) {
    return read(path).flatMap(PidFile::parsePid);
  }

  /** The beginning of {@code path}, if it can be read. */
  private static Optional<String> read(Path path) {
    try (InputStream in = Files.newInputStream(path)) {
      return Optional.of(new String(in.readNBytes(MAX_BYTES), StandardCharsets.US_ASCII));
    } catch (IOException e) {
      return Optional.empty(); // no file, or not readable: nothing to go by
    }
  }

  private static Optional<Long> parsePid(String content) {
    String text = content.trim();
    return text.matches("\\d{1,10}") ? Optional.of(Long.parseLong(text)) : Optional.empty();
  }

  /**
   * The live process {@code path} names, if there is one and it is a SUDP process (a PID from a
   * stale file may have been given to another program since).
   */
  public static Optional<ProcessHandle> liveProcess(Path path) {
    return readPid(path)
        .flatMap(ProcessHandle::of)
        .filter(ProcessHandle::isAlive)
        .filter(
            process ->
                process.info().commandLine().map(line -> line.contains("sudp")).orElse(true));
  }

  /**
   * When {@code path} names no live SUDP process yet a live process holds its lock, what the file
   * holds instead ("is empty", ...): the instance runs, but cannot be named. Empty when nothing
   * holds it. Looking takes a shared lock for an instant, which a start at that very instant finds
   * taken; it is only done for a file that names no live process.
   */
  public static Optional<String> unnamedHolder(Path path) {
    if (liveProcess(path).isPresent() || !isHeld(path)) {
      return Optional.empty();
    }
    String content = read(path).orElse("").trim();
    return Optional.of(
        content.isEmpty()
            ? "is empty"
            : parsePid(content)
                .map(pid -> "names pid " + pid + ", which is not a running SUDP process")
                .orElse("holds no PID"));
  }

  /** Whether another process holds the lock of {@code path}. */
  private static boolean isHeld(Path path) {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      FileLock probe = channel.tryLock(0, Long.MAX_VALUE, true);
      if (probe == null) {
        return true;
      }
      probe.release();
      return false;
    } catch (OverlappingFileLockException e) {
      return true; // held by this very process
    } catch (IOException e) {
      return false; // no file, or one that cannot be opened: no lock to report
    }
  }

  public Path path() {
    return path;
  }

  /** The PID of the process that died leaving this file behind, if it was stale. */
  public Optional<Long> stalePid() {
    return stalePid;
  }

  /** Removes the file and lets it go; the process is stopping. */
  @Override
  public void close() throws IOException {
    try {
      Files.deleteIfExists(path);
    } finally {
      lock.release();
      channel.close();
    }
  }
}
