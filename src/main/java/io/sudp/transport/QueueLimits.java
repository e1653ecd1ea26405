package io.sudp.transport;

import java.time.Duration;

/**
 * Bounds of one WebSocket write queue: when a datagram would exceed {@code frames} or {@code bytes}
 * it is dropped ({@code queue_full}); one that waited longer than {@code maxAge} is dropped ({@code
 * expired}) instead of being sent late. A zero {@code maxAge} means no age limit.
 */
public record QueueLimits(int frames, long bytes, Duration maxAge) {
  public static final QueueLimits DEFAULT = new QueueLimits(8192, 8 << 20, Duration.ofSeconds(3));
}
