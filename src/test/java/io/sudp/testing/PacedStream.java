package io.sudp.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A well-behaved application that sends a numbered datagram through a tunnel every few milliseconds
 * and takes the echoed replies on another thread, for as long as the test runs. Late replies still
 * count: whether the stream lost anything is asked only at the end, after waiting for stragglers,
 * so a slow machine does not make it lose what the tunnel delivered.
 */
public final class PacedStream implements AutoCloseable {
  private final UdpApp app;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicBoolean receiving = new AtomicBoolean(true);
  private final AtomicInteger sent = new AtomicInteger();
  private final BitSet replied = new BitSet();
  private final Thread sender;
  private final Thread receiver;

  public PacedStream(int tunnelPort, Duration interval) throws IOException {
    app = new UdpApp(tunnelPort, true);
    sender =
        new Thread(
            () -> {
              try {
                while (running.get()) {
                  app.send(ByteBuffer.allocate(4).putInt(sent.get()).array());
                  sent.incrementAndGet();
                  Thread.sleep(interval.toMillis()); // pacing the load, not waiting for a condition
                }
              } catch (IOException | InterruptedException e) {
                running.set(false);
              }
            },
            "paced-stream-sender");
    receiver =
        new Thread(
            () -> {
              try {
                while (receiving.get()) {
                  byte[] reply = app.receive(200);
                  if (reply != null && reply.length == 4) {
                    synchronized (replied) {
                      replied.set(ByteBuffer.wrap(reply).getInt());
                    }
                  }
                }
              } catch (IOException e) {
                receiving.set(false);
              }
            },
            "paced-stream-receiver");
    sender.start();
    receiver.start();
  }

  public int sent() {
    return sent.get();
  }

  /** Distinct datagrams whose reply came back. */
  public int received() {
    synchronized (replied) {
      return replied.cardinality();
    }
  }

  /** Waits until {@code count} more replies than now have come back: the stream still flows. */
  public void awaitFlowing(int count) {
    int now = received();
    await().atMost(Duration.ofSeconds(60)).until(() -> received() >= now + count);
  }

  /** Stops sending; asserts, after waiting for replies on their way, that none is missing. */
  public void stopAndAssertNothingLost() throws InterruptedException {
    running.set(false);
    sender.join(10_000);
    int total = sent.get();
    await().atMost(Duration.ofSeconds(30)).until(() -> received() == total);
    assertThat(received())
        .as("replies of the %d datagrams the application sent", total)
        .isEqualTo(total);
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    receiving.set(false);
    sender.join(10_000);
    receiver.join(10_000);
    app.close();
  }
}
