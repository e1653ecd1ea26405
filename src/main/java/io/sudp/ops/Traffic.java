package io.sudp.ops;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one tunnel or one user carried: datagrams and bytes up (towards the destinations) and down,
 * and what was dropped, with per-second rates. The part's totals cover all of them.
 */
public final class Traffic {
  private final LongAdder upDatagrams = new LongAdder();
  private final LongAdder upBytes = new LongAdder();
  private final LongAdder downDatagrams = new LongAdder();
  private final LongAdder downBytes = new LongAdder();
  private final LongAdder drops = new LongAdder();
  private final LongAdder lost = new LongAdder();
  private final TrafficRates rates =
      new TrafficRates(upDatagrams::sum, upBytes::sum, downDatagrams::sum, downBytes::sum);

  public void up(int bytes) {
    upDatagrams.increment();
    upBytes.add(bytes);
  }

  public void down(int bytes) {
    downDatagrams.increment();
    downBytes.add(bytes);
  }

  public void drop() {
    drop(1);
  }

  public void drop(long count) {
    drops.add(count);
  }

  /** What a sequence number showed ({@link SequenceGaps#observe}): datagrams lost, or late. */
  public void sequence(long observation) {
    if (observation > 0) {
      lost.add(observation);
    } else if (observation == SequenceGaps.LATE) {
      lost.decrement();
    }
  }

  /** Datagrams lost in transit (net of those that arrived late). */
  public long lost() {
    return lost.sum();
  }

  public long upDatagrams() {
    return upDatagrams.sum();
  }

  public long upBytes() {
    return upBytes.sum();
  }

  public long downDatagrams() {
    return downDatagrams.sum();
  }

  public long downBytes() {
    return downBytes.sum();
  }

  public long drops() {
    return drops.sum();
  }

  /** Samples the rates; about once a second. */
  public void sample() {
    rates.sample();
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("up", new JsonObject().put("datagrams", upDatagrams.sum()).put("bytes", upBytes.sum()))
        .put(
            "down",
            new JsonObject().put("datagrams", downDatagrams.sum()).put("bytes", downBytes.sum()))
        .put("drops", drops.sum())
        .put("lost", lost.sum())
        .put("rates", rates.toJson());
  }
}
