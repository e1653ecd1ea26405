package io.sudp.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Heap in use by another JVM, from its class histogram ({@code jcmd PID GC.class_histogram}, which
 * runs a full collection first): live objects only, the figure to divide by flows or connections.
 */
final class HeapHistogram {
  private HeapHistogram() {}

  static long usedBytes(long pid) throws IOException, InterruptedException {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    Process process =
        new ProcessBuilder(jcmd, String.valueOf(pid), "GC.class_histogram")
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor();
    for (String line : output.split("\n")) {
      if (line.startsWith("Total")) {
        String[] columns = line.trim().split("\\s+");
        return Long.parseLong(columns[2]);
      }
    }
    throw new IllegalStateException("no class histogram from process " + pid + ": " + output);
  }
}
