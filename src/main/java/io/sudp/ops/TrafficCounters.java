package io.sudp.ops;

import io.vertx.core.json.JsonObject;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Datagrams and bytes each way through one tunnel end, and drops by cause. Upstream is towards the
 * destination, downstream towards the local application. A datagram is counted when this end passed
 * it on (queued it for the WebSocket, or sent it as UDP). Safe to update from any thread.
 */
public final class TrafficCounters {
  private final LongAdder upstreamDatagrams = new LongAdder();
  private final LongAdder upstreamBytes = new LongAdder();
  private final LongAdder downstreamDatagrams = new LongAdder();
  private final LongAdder downstreamBytes = new LongAdder();
  private final Map<DropCause, LongAdder> drops = new EnumMap<>(DropCause.class);
  private final Map<ProtocolViolation, LongAdder> violations =
      new EnumMap<>(ProtocolViolation.class);
  private final Map<Refusal, LongAdder> refusals = new EnumMap<>(Refusal.class);
  private final LongAdder lost = new LongAdder();
  private final LongAdder reordered = new LongAdder();
  private final LongAdder unconfirmed = new LongAdder();
  private final LongAdder clientAddressFallbacks = new LongAdder();

  public TrafficCounters() {
    for (DropCause cause : DropCause.values()) {
      drops.put(cause, new LongAdder());
    }
    for (Refusal refusal : Refusal.values()) {
      refusals.put(refusal, new LongAdder());
    }
    for (ProtocolViolation violation : ProtocolViolation.values()) {
      violations.put(violation, new LongAdder());
    }
  }

  /** Counts a connection refused before it carried anything. */
  public void refused(Refusal refusal) {
    refusals.get(refusal).increment();
  }

  public long refusals(Refusal refusal) {
    return refusals.get(refusal).sum();
  }

  /**
   * Counts a request from a trusted proxy whose header named no usable client address, so that it
   * was counted as the proxy's own.
   */
  public void clientAddressFallback() {
    clientAddressFallbacks.increment();
  }

  public long clientAddressFallbacks() {
    return clientAddressFallbacks.sum();
  }

  /** Counts one datagram this end passed on in {@code direction}. */
  public void forwarded(Direction direction, int bytes) {
    if (direction == Direction.UPSTREAM) {
      upstreamDatagrams.increment();
      upstreamBytes.add(bytes);
    } else {
      downstreamDatagrams.increment();
      downstreamBytes.add(bytes);
    }
  }

  public void drop(DropCause cause) {
    drop(cause, 1);
  }

  /** Counts {@code count} datagrams dropped for {@code cause} at once. */
  public void drop(DropCause cause, long count) {
    drops.get(cause).add(count);
  }

  /** Counts a peer that broke the protocol (its connection is closed). */
  public void violated(ProtocolViolation violation) {
    violations.get(violation).increment();
  }

  public long violations(ProtocolViolation violation) {
    return violations.get(violation).sum();
  }

  /**
   * Counts what one DATA frame's sequence number showed ({@link SequenceGaps#observe}): datagrams
   * the peer wrote that never arrived here (lost in transit, for example in a connection that
   * broke, not dropped at either end), or one that arrived late after being counted lost.
   * Implausible numbers count nothing.
   */
  public void sequence(long observation) {
    if (observation > 0) {
      lost.add(observation);
    } else if (observation == SequenceGaps.LATE) {
      reordered.increment();
      lost.decrement();
    }
  }

  /**
   * Counts datagrams written to a connection that broke, after the peer's last confirmation, when
   * the peer then lost its state (a server restart): each was either delivered or lost.
   */
  public void countUnconfirmed(long datagrams) {
    unconfirmed.add(datagrams);
  }

  public long unconfirmed() {
    return unconfirmed.sum();
  }

  public long lost() {
    return lost.sum();
  }

  public long reordered() {
    return reordered.sum();
  }

  public long upstreamDatagrams() {
    return upstreamDatagrams.sum();
  }

  public long upstreamBytes() {
    return upstreamBytes.sum();
  }

  public long downstreamDatagrams() {
    return downstreamDatagrams.sum();
  }

  public long downstreamBytes() {
    return downstreamBytes.sum();
  }

  public long drops(DropCause cause) {
    return drops.get(cause).sum();
  }

  /** The counts as JSON, for {@code /status.json} and {@code sudp status --json}. */
  public JsonObject toJson() {
    return new JsonObject()
        .put(
            "upstream",
            new JsonObject().put("datagrams", upstreamDatagrams()).put("bytes", upstreamBytes()))
        .put(
            "downstream",
            new JsonObject()
                .put("datagrams", downstreamDatagrams())
                .put("bytes", downstreamBytes()))
        .put("drops", byLabel(drops))
        .put("refusals", byLabel(refusals))
        .put("client_address_fallbacks", clientAddressFallbacks())
        .put("lost", lost())
        .put("unconfirmed", unconfirmed())
        .put("reordered", reordered())
        .put("violations", byLabel(violations));
  }

  /**
   * One line for logs and status, e.g. {@code up 10/1200B down 10/1200B drops oversized=1 refused
   * tls=2 violations malformed=1 lost 0 unconfirmed 0 reordered 0}; causes with no count are left
   * out.
   */
  public String summary() {
    StringBuilder line =
        new StringBuilder()
            .append("up ")
            .append(upstreamDatagrams())
            .append('/')
            .append(upstreamBytes())
            .append("B")
            .append(" down ")
            .append(downstreamDatagrams())
            .append('/')
            .append(downstreamBytes())
            .append("B drops");
    if (!appendCounts(line, drops)) {
      line.append(" none");
    }
    if (hasCounts(refusals)) {
      appendCounts(line.append(" refused"), refusals);
    }
    if (hasCounts(violations)) {
      appendCounts(line.append(" violations"), violations);
    }
    if (clientAddressFallbacks() > 0) {
      line.append(" client_address_fallbacks ").append(clientAddressFallbacks());
    }
    return line.append(" lost ")
        .append(lost())
        .append(" unconfirmed ")
        .append(unconfirmed())
        .append(" reordered ")
        .append(reordered())
        .toString();
  }

  private static boolean hasCounts(Map<? extends Enum<?>, LongAdder> counts) {
    return counts.values().stream().anyMatch(count -> count.sum() > 0);
  }

  /** Appends {@code " label=N"} for every non-zero count; false if there was none. */
  private static boolean appendCounts(
      StringBuilder line, Map<? extends Enum<?>, LongAdder> counts) {
    boolean any = false;
    for (Map.Entry<? extends Enum<?>, LongAdder> entry : counts.entrySet()) {
      long count = entry.getValue().sum();
      if (count > 0) {
        line.append(' ').append(label(entry.getKey())).append('=').append(count);
        any = true;
      }
    }
    return any;
  }

  private static JsonObject byLabel(Map<? extends Enum<?>, LongAdder> counts) {
    JsonObject json = new JsonObject();
    counts.forEach((key, count) -> json.put(label(key), count.sum()));
    return json;
  }

  /** The metric and status label of a cause: its name in lower case. */
  private static String label(Enum<?> cause) {
    return cause.name().toLowerCase(Locale.ROOT);
  }
}
