package io.sudp.config;

/** Bounds of one WebSocket write queue; when either is reached, datagrams are dropped and counted. */
public record QueueLimits(int frames, int bytes) {
  static QueueLimits read(ConfigNode parent) {
    ConfigNode node = parent.section("queue");
    if (node == null) {
      return new QueueLimits(8192, 8 << 20);
    }
    QueueLimits limits = new QueueLimits(
        node.integer("frames", 8192, 16, 1 << 20),
        node.integer("bytes", 8 << 20, 128 * 1024, 1 << 30));
    node.rejectUnknownKeys();
    return limits;
  }
}
