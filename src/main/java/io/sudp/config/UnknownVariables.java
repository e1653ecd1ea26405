package io.sudp.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Warnings for {@code SUDP_} variables that override nothing: a mistyped override is otherwise
 * ignored without a word. Variables of the same prefix serve other ends too (a password a file
 * names in {@code password-env}, a script's own settings), so a variable that nothing asked for is
 * reported only when it lies inside a section the file has ({@code SUDP_SERVER_…} with a {@code
 * server} section) or is one edit from one that was asked for: two would take a launcher's {@code
 * SUDP_HOME} for {@code SUDP_NAME}.
 */
final class UnknownVariables {
  private static final String PREFIX = "SUDP_";

  private UnknownVariables() {}

  /**
   * One warning per such variable, {@code FILE (VARIABLE): warning: …}.
   *
   * @param keysRead the path of every key the load read, which tells the sections the file has
   */
  static List<String> warnings(String file, ConfigEnvironment environment, Set<String> keysRead) {
    Set<String> known = environment.asked(PREFIX);
    List<String> sections =
        keysRead.stream()
            .map(ConfigSource::parent)
            .filter(section -> !section.isEmpty())
            .map(section -> ConfigSource.variable(section) + "_")
            .distinct()
            .toList();
    List<String> warnings = new ArrayList<>();
    for (String variable : environment.notAsked(PREFIX)) {
      boolean inSection = sections.stream().anyMatch(variable::startsWith);
      String guess = DidYouMean.closest(variable, known, inSection ? 2 : 1);
      if (inSection || guess != null) {
        warnings.add(
            file
                + " ("
                + variable
                + "): warning: unknown variable: overrides no key of"
                + " this file, ignored"
                + (guess != null ? " (did you mean '" + guess + "'?)" : ""));
      }
    }
    return warnings;
  }
}
