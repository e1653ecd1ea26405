package io.sudp.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * A YAML file's text and document. What stops a file being read is one problem in the form of every
 * other, {@code FILE:LINE: what is wrong}, with the line where there is one: the exception messages
 * behind them ({@code Input length = 1}, a path, SnakeYAML's multi-line snippet) tell an operator
 * neither where nor why.
 */
record ConfigFile(String text, Object document) {

  /** {@code file} read and parsed, or null with its problem added to {@code problems}. */
  static ConfigFile read(Path file, List<String> problems) {
    String name = file.toString();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      problems.add(
          name + ": cannot read: " + (Files.isDirectory(file) ? "is a directory" : reason(e)));
      return null;
    }
    return parse(name, bytes, problems);
  }

  /**
   * {@code bytes}, the content of what {@code name} names, parsed; or null with its problem added
   * to {@code problems}.
   */
  static ConfigFile parse(String name, byte[] bytes, List<String> problems) {
    String text = utf8(name, bytes, problems);
    if (text == null) {
      return null;
    }
    try {
      return new ConfigFile(
          text, new Load(LoadSettings.builder().setLabel(name).build()).loadFromString(text));
    } catch (MarkedYamlEngineException e) {
      problems.add(
          e.getProblemMark().map(mark -> name + ":" + (mark.getLine() + 1)).orElse(name)
              + ": not valid YAML: "
              + describe(e));
    } catch (ReaderException e) {
      problems.add(
          name
              + ":"
              + lineAt(text, e.getPosition())
              + ": not valid YAML: "
              + e.getMessage()
              + " (U+"
              + String.format("%04X", e.getCodePoint())
              + ")");
    } catch (YamlEngineException e) {
      problems.add(name + ": not valid YAML: " + e.getMessage().replace('\n', ' '));
    }
    return null;
  }

  /** Why reading failed, in the words of {@code ls}: no such file, permission denied. */
  static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException system && system.getReason() != null) {
      return system.getReason();
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  /** {@code bytes} as UTF-8, or null with the line and column of the first byte that is not. */
  private static String utf8(String name, byte[] bytes, List<String> problems) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    String decoded = out.flip().toString();
    if (!result.isError()) {
      return decoded;
    }
    int column = decoded.length() - decoded.lastIndexOf('\n');
    int line = 1 + (int) decoded.chars().filter(c -> c == '\n').count();
    problems.add(
        name
            + ":"
            + line
            + ": not UTF-8 text (byte 0x"
            + String.format("%02X", bytes[in.position()] & 0xff)
            + " at column "
            + column
            + "; save the file as UTF-8)");
    return null;
  }

  /** The line (1-based) of the {@code position}th code point of {@code text}. */
  private static long lineAt(String text, int position) {
    return 1 + text.codePoints().limit(position).filter(c -> c == '\n').count();
  }

  /** SnakeYAML's problem, with its context and that context's line when it is another one. */
  private static String describe(MarkedYamlEngineException e) {
    String context = e.getContext();
    if (context == null || context.isBlank()) {
      return e.getProblem();
    }
    int problemLine = e.getProblemMark().map(mark -> mark.getLine()).orElse(-1);
    return e.getProblem()
        + " ("
        + context
        + e.getContextMark()
            .filter(mark -> mark.getLine() != problemLine)
            .map(mark -> " at line " + (mark.getLine() + 1))
            .orElse("")
        + ")";
  }
}
