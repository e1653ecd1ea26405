package io.sudp.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A well-behaved application: round trips through a tunnel, one after another, for as long as the
 * test runs, counting those answered and those that went missing. Each request is numbered and
 * waits for its own reply, up to {@link #PATIENCE_MILLIS}: a late reply to an earlier one (which a
 * slow machine may deliver) is passed over rather than taken for this one's, and a reply that is
 * merely slow is not counted missing.
 */
public final class SteadyRoundTrips implements AutoCloseable {
  private static final int PATIENCE_MILLIS = 10_000;

  private final AtomicLong answered = new AtomicLong();
  private final AtomicLong missing = new AtomicLong();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  public SteadyRoundTrips(int tunnelPort) {
    thread =
        new Thread(
            () -> {
              try (UdpApp app = new UdpApp(tunnelPort)) {
                for (int i = 0; running.get(); i++) {
                  byte[] request = ("ping " + i).getBytes(StandardCharsets.US_ASCII);
                  if (app.sendOnceAndAwaitEcho(request, PATIENCE_MILLIS) != null) {
                    answered.incrementAndGet();
                  } else {
                    missing.incrementAndGet();
                  }
                }
              } catch (IOException e) {
                missing.incrementAndGet();
              }
            },
            "steady-round-trips");
    thread.start();
  }

  public long answered() {
    return answered.get();
  }

  public long missing() {
    return missing.get();
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    thread.join(2L * PATIENCE_MILLIS);
  }
}
