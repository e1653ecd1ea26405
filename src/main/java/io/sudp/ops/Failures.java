package io.sudp.ops;

import java.util.regex.Pattern;

/**
 * Turns exceptions into the words an operator needs: the innermost message that says something,
 * without the native transport's prefix ({@code bind(..) failed with error(-98): Address already
 * in use} reads {@code Address already in use}, as the JDK would say it).
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
   * The first message along {@code error}'s causes that says more than the exception it wraps:
   * the context (which route, which port) as well as the reason.
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

  /** True when {@code error} is, at its root, a port another socket holds. */
  public static boolean isAddressInUse(Throwable error) {
    return describe(error).contains("Address already in use");
  }
}
