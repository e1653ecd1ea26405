package io.sudp.client;

import io.sudp.ops.TrafficRates;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one tunnel carried: datagrams and bytes from its local applications (up) and back to them
 * (down), and what it dropped, with per-second rates; the client's totals cover all tunnels.
 */
public final class TunnelTraffic {
  private final LongAdder upDatagrams = new LongAdder();
  private final LongAdder upBytes = new LongAdder();
  private final LongAdder downDatagrams = new LongAdder();
  private final LongAdder downBytes = new LongAdder();
  private final LongAdder drops = new LongAdder();
  private final TrafficRates rates = new TrafficRates(upDatagrams::sum, upBytes::sum,
      downDatagrams::sum, downBytes::sum);

  void up(int bytes) {
    upDatagrams.increment();
    upBytes.add(bytes);
  }

  void down(int bytes) {
    downDatagrams.increment();
    downBytes.add(bytes);
  }

  void drop() {
    drops.increment();
  }

  /** Samples the rates; about once a second. */
  public void sample() {
    rates.sample();
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("up", new JsonObject().put("datagrams", upDatagrams.sum()).put("bytes", upBytes.sum()))
        .put("down", new JsonObject().put("datagrams", downDatagrams.sum())
            .put("bytes", downBytes.sum()))
        .put("drops", drops.sum())
        .put("rates", rates.toJson());
  }
}
