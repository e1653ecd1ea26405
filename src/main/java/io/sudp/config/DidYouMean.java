package io.sudp.config;

import java.util.Collection;

/** The known name a typo most likely meant: of a key, or of a {@code SUDP_} variable. */
final class DidYouMean {
  private DidYouMean() {}

  /** The name of {@code known} fewest edits away from {@code typo}, if two or fewer; else null. */
  static String closest(String typo, Collection<String> known) {
    return closest(typo, known, 2);
  }

  /** As {@link #closest(String, Collection)}, within {@code maxEdits} edits. */
  static String closest(String typo, Collection<String> known, int maxEdits) {
    String best = null;
    int bestDistance = maxEdits + 1;
    for (String candidate : known) {
      int distance = editDistance(typo, candidate);
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return best;
  }

  private static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
