package io.sudp.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log file that stops taking lines, as a full disk does (part of a line written, then ENOSPC),
 * and takes them again: the lost lines are counted, said on standard error once, and no line is
 * left in part or spliced onto the next.
 */
class LogFileStreamTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final AtomicLong now = new AtomicLong();
  private final LostLogLines lost =
      new LostLogLines(new PrintStream(err, true, StandardCharsets.UTF_8), now::get);
  private boolean full;
  private boolean cutFails;

  /** A file that, while {@link #full}, takes half of a write and then fails as a full disk does. */
  private RandomAccessFile open(Path file) throws IOException {
    return new RandomAccessFile(file.toFile(), "rw") {
      @Override
      public void write(byte[] bytes, int offset, int length) throws IOException {
        if (!full) {
          super.write(bytes, offset, length);
          return;
        }
        super.write(bytes, offset, length / 2);
        throw new IOException("No space left on device");
      }

      @Override
      public void setLength(long length) throws IOException {
        if (cutFails) {
          throw new IOException("Input/output error");
        }
        super.setLength(length);
      }
    };
  }

  private static byte[] line(String text) {
    return (text + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private String notices() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void linesLostToAFullDiskAreCountedSaidOnceAndLeaveNoPartOfThemselves() throws Exception {
    Path file = dir.resolve("sudp.log");
    LogFileStream stream = new LogFileStream(file, lost, this::open);
    stream.write(line("first"));
    full = true;
    stream.write(line("second, lost half-written"));
    stream.write(line("third, lost"));

    assertThat(lost.count()).isEqualTo(2);
    assertThat(notices().lines())
        .containsExactly(
            "sudp: cannot write the log file "
                + file
                + ": No space left on device; log lines are lost (1 so far, metric"
                + " sudp_log_lines_lost_total)");

    full = false;
    stream.write(line("fourth"));
    stream.write(line("fifth"));
    assertThat(Files.readString(file)).isEqualTo("first\nfourth\nfifth\n");
    assertThat(lost.count()).isEqualTo(2);
    assertThat(notices().lines())
        .hasSize(2)
        .last()
        .isEqualTo("sudp: the log file " + file + " takes lines again; 2 log lines lost in all");
  }

  @Test
  void aPartOfALineThatCannotBeCutOffEndsBeforeTheNextLine() throws Exception {
    Path file = dir.resolve("sudp.log");
    LogFileStream stream = new LogFileStream(file, lost, this::open);
    stream.write(line("first"));
    full = true;
    cutFails = true;
    stream.write(line("0123456789"));
    full = false;
    cutFails = false;
    stream.write(line("third"));

    assertThat(Files.readString(file)).isEqualTo("first\n01234\nthird\n");
    assertThat(lost.count()).isEqualTo(1);
  }

  @Test
  void whileTheFileStaysFullItIsSaidAgainAtMostOnceAMinute() throws Exception {
    LogFileStream stream = new LogFileStream(dir.resolve("sudp.log"), lost, this::open);
    full = true;
    for (int i = 0; i < 100; i++) {
      stream.write(line("lost " + i));
      now.addAndGet(TimeUnit.SECONDS.toNanos(1));
    }

    assertThat(lost.count()).isEqualTo(100);
    assertThat(notices().lines())
        .hasSize(2)
        .last()
        .asString()
        .contains("log lines are lost (61 so far");
  }

  @Test
  void aFileThatCannotBeOpenedLosesItsLinesAndIsTriedAgain() throws Exception {
    Path file = dir.resolve("missing").resolve("sudp.log");
    Files.writeString(dir.resolve("missing"), "a file where the directory should be");
    LogFileStream stream = new LogFileStream(file, lost);
    stream.write(line("lost"));
    assertThat(lost.count()).isEqualTo(1);
    assertThat(notices()).contains("cannot write the log file " + file + ": ");

    Files.delete(dir.resolve("missing"));
    stream.write(line("written"));
    assertThat(Files.readString(file)).isEqualTo("written\n");
  }
}
