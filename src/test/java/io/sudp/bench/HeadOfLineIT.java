package io.sudp.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@link HeadOfLineBenchmark} in short, so that CI runs it wherever network namespaces can be made:
 * over a path that loses 1 % of its packets each way, the latency flow gets through on the shared
 * connection and next to a bulk tunnel on a connection of its own, with and without the bulk flow.
 * Its figures depend on the machine and are printed, not judged; {@code docs/performance.md} has
 * them from a quiet machine.
 */
class HeadOfLineIT {
  @Test
  void theLatencyFlowGetsThroughALossyPathBesideABulkFlow() throws Exception {
    String unavailable = LossyPath.unavailable();
    Assumptions.assumeTrue(unavailable == null, () -> "head-of-line run skipped: " + unavailable);

    List<HeadOfLineBenchmark.Row> rows = HeadOfLineBenchmark.run(10, "50M", 3, 50);

    rows.forEach(row -> System.out.println(row.line()));
    assertThat(rows).hasSize(5);
    assertThat(rows).allSatisfy(row -> assertThat(row.received()).as(row.line()).isGreaterThan(0));
    assertThat(rows)
        .filteredOn(HeadOfLineBenchmark.Row::bulk)
        .allSatisfy(row -> assertThat(row.bulkDelivered()).as(row.line()).contains(" of "));
  }
}
