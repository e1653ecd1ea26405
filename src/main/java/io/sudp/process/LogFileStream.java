package io.sudp.process;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/**
 * The log file as the appender writes it: each write is one log event, which goes in whole or not
 * at all. Logback's own file stream swallows a failed write, drops lines silently while it waits to
 * retry, and leaves the part of a line a full disk took, which the next line is then spliced onto.
 * Here a failed write is cut back off the file and counted in {@link LostLogLines}, and the file is
 * opened again for the next line; a file opened that ends within a line (the cut failed too, or a
 * process died writing) gets a line end first. Not thread-safe: the appender writes under its lock.
 */
final class LogFileStream extends OutputStream {
  /** Opens the file for writing; a seam for tests, which make writes fail. */
  interface Opener {
    RandomAccessFile open(Path file) throws IOException;
  }

  private final Path file;
  private final LostLogLines lost;
  private final Opener opener;
  private RandomAccessFile out;

  LogFileStream(Path file, LostLogLines lost) {
    this(
        file,
        lost,
        path -> {
          SafeDirectory.prepare(path.toAbsolutePath().getParent());
          return new RandomAccessFile(path.toFile(), "rw");
        });
  }

  LogFileStream(Path file, LostLogLines lost, Opener opener) {
    this.file = file;
    this.lost = lost;
    this.opener = opener;
  }

  @Override
  public void write(int b) {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) {
    try {
      if (out == null) {
        out = open();
      }
      long end = out.length();
      out.seek(end);
      try {
        out.write(bytes, offset, length);
      } catch (IOException e) {
        cutBack(end, e);
        throw e;
      }
      lost.written(file);
    } catch (IOException e) {
      close();
      lost.lost(file, e);
    }
  }

  /** The file, ending with a whole line. */
  private RandomAccessFile open() throws IOException {
    RandomAccessFile opened = opener.open(file);
    try {
      long end = opened.length();
      if (end > 0) {
        opened.seek(end - 1);
        if (opened.read() != '\n') {
          opened.write('\n');
        }
      }
      return opened;
    } catch (IOException e) {
      opened.close();
      throw e;
    }
  }

  private void cutBack(long end, IOException failure) {
    try {
      out.setLength(end);
    } catch (IOException e) {
      failure.addSuppressed(e); // the part written stays; the next open ends its line
    }
  }

  @Override
  public void close() {
    RandomAccessFile current = out;
    out = null;
    if (current != null) {
      try {
        current.close();
      } catch (IOException e) {
        // the file is given up either way; the next write opens it again
      }
    }
  }
}
