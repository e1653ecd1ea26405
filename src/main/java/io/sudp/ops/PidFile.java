package io.sudp.ops;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
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
   * Takes {@code path} for this process and writes its PID into it, creating the directory.
   *
   * @throws HeldException if another process holds it
   */
  public static PidFile acquire(Path path) throws IOException {
    Files.createDirectories(path.toAbsolutePath().getParent());
    FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE,
        StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      channel.close();
      throw new HeldException("already running" + readPid(path).map(pid -> " (pid " + pid + ")")
          .orElse("") + ": " + path + " is held by a live process");
    }
    // Read through the locked channel: closing any other descriptor of the file would release
    // the lock (POSIX locks belong to the process and the file, not to a descriptor).
    ByteBuffer old = ByteBuffer.allocate(32);
    channel.read(old, 0);
    PidFile file = new PidFile(path, channel, lock,
        parsePid(new String(old.array(), 0, old.position(), StandardCharsets.US_ASCII)));
    channel.truncate(0);
    channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n")
        .getBytes(StandardCharsets.US_ASCII)), 0);
    channel.force(false);
    return file;
  }

  /** The PID written in {@code path}, if the file exists and holds one. */
  public static Optional<Long> readPid(Path path) {
    try {
      return parsePid(Files.readString(path, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      return Optional.empty(); // no file, or not readable: no PID to go by
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
    return readPid(path).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive)
        .filter(process -> process.info().commandLine()
            .map(line -> line.contains("sudp")).orElse(true));
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
