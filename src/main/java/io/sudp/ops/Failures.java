package io.sudp.ops;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.regex.Pattern;

/**
 * Turns exceptions into the words an operator needs: the innermost message that says something,
 * without the native transport's prefix ({@code bind(..) failed with error(-98): Address already in
 * use} reads {@code Address already in use}, as the JDK would say it).
 */
public final class Failures {
  private static final Pattern NATIVE_PREFIX =
      Pattern.compile("^\\w+\\(\\.\\.\\) failed with error\\(-?\\d+\\): ");

  private Failures() {}

  /** The innermost message of {@code error}'s causes, cleaned of native prefixes. */
  public static String describe(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String message = cause.getMessage() != null ? cause.getMessage() : cause.toString();
    return NATIVE_PREFIX.matcher(message).replaceFirst("");
  }

  /**
   * The first message along {@code error}'s causes that says more than the exception it wraps: the
   * context (which route, which port) as well as the reason.
   */
  public static String summary(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null
        && (cause.getMessage() == null || cause.getMessage().equals(cause.getCause().toString()))) {
      cause = cause.getCause();
    }
    String message = cause.getMessage() != null ? cause.getMessage() : cause.toString();
    return NATIVE_PREFIX.matcher(message).replaceFirst("");
  }

  /**
   * Why a file operation failed, without the file's name, which the caller says: the JDK's {@code
   * AccessDeniedException} and its kin carry only the name, the reason being their type.
   */
  public static String fileProblem(IOException error) {
    if (error instanceof FileSystemException file && file.getReason() != null) {
      return file.getReason();
    }
    if (error instanceof AccessDeniedException) {
      return "Permission denied";
    }
    if (error instanceof NoSuchFileException) {
      return "No such file or directory";
    }
    if (error instanceof FileAlreadyExistsException) {
      return "File exists";
    }
    return error instanceof FileSystemException
        ? error.getClass().getSimpleName()
        : describe(error);
  }

  /** The first of {@code error} and its causes that is a {@code type}, or null. */
  public static <T extends Throwable> T find(Throwable error, Class<T> type) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return type.cast(cause);
      }
    }
    return null;
  }

  /** True when {@code error} is, at its root, a port another socket holds. */
  public static boolean isAddressInUse(Throwable error) {
    return describe(error).contains("Address already in use");
  }
}
