package io.sudp.bench;

/** Nearest-rank percentiles of sorted samples. */
final class Percentiles {
  private Percentiles() {}

  /** The {@code p}th percentile of {@code sorted}; -1 when there are no samples. */
  static long of(long[] sorted, double p) {
    if (sorted.length == 0) {
      return -1;
    }
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }
}
