package io.sudp.ops;

import io.vertx.core.json.JsonObject;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Datagrams and bytes each way through one tunnel end, and drops by cause. Upstream is towards the
 * destination, downstream towards the local application. A datagram is counted when this end
 * passed it on (queued it for the WebSocket, or sent it as UDP). Safe to update from any thread.
 */
public final class TrafficCounters {
  private final LongAdder upstreamDatagrams = new LongAdder();
  private final LongAdder upstreamBytes = new LongAdder();
  private final LongAdder downstreamDatagrams = new LongAdder();
  private final LongAdder downstreamBytes = new LongAdder();
  private final Map<DropCause, LongAdder> drops = new EnumMap<>(DropCause.class);
  private final LongAdder malformedMessages = new LongAdder();
  private final Map<Refusal, LongAdder> refusals = new EnumMap<>(Refusal.class);
  private final LongAdder lost = new LongAdder();
  private final LongAdder reordered = new LongAdder();
  private final LongAdder unconfirmed = new LongAdder();

  public TrafficCounters() {
    for (DropCause cause : DropCause.values()) {
      drops.put(cause, new LongAdder());
    }
    for (Refusal refusal : Refusal.values()) {
      refusals.put(refusal, new LongAdder());
    }
  }

  /** Counts a connection refused before it carried anything. */
  public void refused(Refusal refusal) {
    refusals.get(refusal).increment();
  }

  public long refusals(Refusal refusal) {
    return refusals.get(refusal).sum();
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
    drops.get(cause).increment();
  }

  /** Counts a WebSocket message that broke the protocol (its connection is closed). */
  public void malformedMessage() {
    malformedMessages.increment();
  }

  public long malformedMessages() {
    return malformedMessages.sum();
  }

  /**
   * Counts datagrams the peer wrote that never arrived here (seen as a gap in sequence numbers):
   * lost in transit, for example in a connection that broke, not dropped at either end.
   */
  public void countLost(int datagrams) {
    lost.add(datagrams);
  }

  /** Counts a datagram that arrived after a later one (and was counted lost before). */
  public void countReordered() {
    reordered.increment();
    lost.decrement();
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
    JsonObject dropsByCause = new JsonObject();
    drops.forEach((cause, count) -> dropsByCause.put(cause.label(), count.sum()));
    JsonObject refused = new JsonObject();
    refusals.forEach((refusal, count) -> refused.put(refusal.label(), count.sum()));
    return new JsonObject()
        .put("upstream", new JsonObject().put("datagrams", upstreamDatagrams())
            .put("bytes", upstreamBytes()))
        .put("downstream", new JsonObject().put("datagrams", downstreamDatagrams())
            .put("bytes", downstreamBytes()))
        .put("drops", dropsByCause)
        .put("refusals", refused)
        .put("lost", lost())
        .put("unconfirmed", unconfirmed())
        .put("reordered", reordered())
        .put("malformedMessages", malformedMessages());
  }

  /** One line for logs and status: {@code up 10/1200B down 10/1200B drops oversized=1 lost 0 reordered 0 malformed 0}. */
  public String summary() {
    StringBuilder line = new StringBuilder()
        .append("up ").append(upstreamDatagrams()).append('/').append(upstreamBytes()).append("B")
        .append(" down ").append(downstreamDatagrams()).append('/').append(downstreamBytes())
        .append("B drops");
    boolean any = false;
    for (Map.Entry<DropCause, LongAdder> entry : drops.entrySet()) {
      long count = entry.getValue().sum();
      if (count > 0) {
        line.append(' ').append(entry.getKey().label()).append('=').append(count);
        any = true;
      }
    }
    if (!any) {
      line.append(" none");
    }
    for (Map.Entry<Refusal, LongAdder> entry : refusals.entrySet()) {
      long count = entry.getValue().sum();
      if (count > 0) {
        line.append(" refused ").append(entry.getKey().label()).append('=').append(count);
      }
    }
    return line.append(" lost ").append(lost()).append(" unconfirmed ").append(unconfirmed())
        .append(" reordered ").append(reordered())
        .append(" malformed ").append(malformedMessages()).toString();
  }
}
