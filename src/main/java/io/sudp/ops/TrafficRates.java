package io.sudp.ops;

import io.vertx.core.json.JsonObject;
import java.util.function.LongSupplier;

/** Datagrams and bytes per second each way, for one part or one tunnel. */
public final class TrafficRates {
  private final RateMeter upDatagrams;
  private final RateMeter upBytes;
  private final RateMeter downDatagrams;
  private final RateMeter downBytes;

  public TrafficRates(
      LongSupplier upDatagrams,
      LongSupplier upBytes,
      LongSupplier downDatagrams,
      LongSupplier downBytes) {
    this.upDatagrams = new RateMeter(upDatagrams);
    this.upBytes = new RateMeter(upBytes);
    this.downDatagrams = new RateMeter(downDatagrams);
    this.downBytes = new RateMeter(downBytes);
  }

  /** The rates of {@code counters}: what one end passed on, each way. */
  public static TrafficRates of(TrafficCounters counters) {
    return new TrafficRates(
        counters::upstreamDatagrams,
        counters::upstreamBytes,
        counters::downstreamDatagrams,
        counters::downstreamBytes);
  }

  public void sample() {
    upDatagrams.sample();
    upBytes.sample();
    downDatagrams.sample();
    downBytes.sample();
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("upDatagramsPerSecond", round(upDatagrams.perSecond()))
        .put("upBytesPerSecond", round(upBytes.perSecond()))
        .put("downDatagramsPerSecond", round(downDatagrams.perSecond()))
        .put("downBytesPerSecond", round(downBytes.perSecond()));
  }

  private static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }
}
