package io.sudp.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A well-behaved application: round trips through a tunnel, one after another, for as long as
 * the test runs, counting those answered and those that went missing.
 */
public final class SteadyRoundTrips implements AutoCloseable {
  private final AtomicLong answered = new AtomicLong();
  private final AtomicLong missing = new AtomicLong();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  public SteadyRoundTrips(int tunnelPort) {
    thread = new Thread(() -> {
      try (UdpApp app = new UdpApp(tunnelPort)) {
        for (int i = 0; running.get(); i++) {
          String request = "ping " + i;
          app.send(request.getBytes(StandardCharsets.US_ASCII));
          byte[] reply = app.receive(2_000);
          if (reply != null && new String(reply, StandardCharsets.US_ASCII).equals(request)) {
            answered.incrementAndGet();
          } else {
            missing.incrementAndGet();
          }
        }
      } catch (IOException e) {
        missing.incrementAndGet();
      }
    }, "steady-round-trips");
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
    thread.join(10_000);
  }
}
