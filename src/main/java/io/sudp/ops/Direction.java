package io.sudp.ops;

/** Which way a datagram travels: upstream towards the destination, downstream back to the app. */
public enum Direction {
  UPSTREAM,
  DOWNSTREAM
}
