package io.sudp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketBase;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@link Keepalive} on a hand-driven clock and timer, without sockets: pings once an interval with
 * their send time and the datagrams written, round-trip time and confirmed count from the pong, and
 * the connection declared dead once (timer stopped) after two silent intervals, not before.
 */
class KeepaliveTest {
  private static final long INTERVAL_MS = 1_000;
  private static final long INTERVAL = TimeUnit.MILLISECONDS.toNanos(INTERVAL_MS);
  private static final long TIMER_ID = 42;

  private final AtomicLong now = new AtomicLong(5 * INTERVAL);
  private final AtomicLong written = new AtomicLong(7);
  private final AtomicInteger deaths = new AtomicInteger();
  private final List<Buffer> pings = new ArrayList<>();
  private final List<Long> cancelled = new ArrayList<>();
  private Handler<Long> tick;
  private Handler<Buffer> pong;
  private long period;

  private final Keepalive keepalive =
      new Keepalive(
          fake(Vertx.class),
          fake(WebSocketBase.class),
          INTERVAL_MS,
          written::get,
          deaths::incrementAndGet,
          now::get);

  /** {@code type} answering the few calls Keepalive makes of Vert.x and of its socket. */
  private <T> T fake(Class<T> type) {
    return type.cast(
        Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, this::answer));
  }

  @SuppressWarnings("unchecked")
  private Object answer(Object proxy, Method method, Object[] args) {
    return switch (method.getName()) {
      case "setPeriodic" -> {
        period = (Long) args[0];
        tick = (Handler<Long>) args[1];
        yield TIMER_ID;
      }
      case "cancelTimer" -> cancelled.add((Long) args[0]);
      case "pongHandler" -> {
        pong = (Handler<Buffer>) args[0];
        yield proxy;
      }
      case "writePing" -> {
        pings.add((Buffer) args[0]);
        yield null;
      }
      default -> throw new UnsupportedOperationException(method.getName());
    };
  }

  /** Moves the clock by {@code nanos} and lets the periodic timer fire. */
  private void tickAfter(long nanos) {
    now.addAndGet(nanos);
    tick.handle(TIMER_ID);
  }

  @Test
  void checksTwicePerIntervalAndPingsOncePerIntervalWithSendTimeAndDatagramsWritten() {
    assertThat(period).isEqualTo(INTERVAL_MS / 2);

    tickAfter(INTERVAL / 2);
    assertThat(pings).isEmpty();

    written.set(1_234);
    tickAfter(INTERVAL / 2);
    assertThat(pings).hasSize(1);
    assertThat(pings.get(0).length()).isEqualTo(2 * Long.BYTES);
    assertThat(pings.get(0).getLong(0)).isEqualTo(now.get());
    assertThat(pings.get(0).getLong(Long.BYTES)).isEqualTo(1_234);

    keepalive.heard();
    tickAfter(INTERVAL / 2);
    assertThat(pings).hasSize(1);
    tickAfter(INTERVAL / 2);
    assertThat(pings).hasSize(2);
  }

  @Test
  void aPongGivesTheRoundTripTimeAndConfirmsTheDatagramsWrittenBeforeItsPing() {
    assertThat(keepalive.rttNanos()).isEqualTo(-1);
    assertThat(keepalive.confirmed()).as("written when the connection opened").isEqualTo(7);
    written.set(99);
    tickAfter(INTERVAL);
    Buffer ping = pings.get(0);
    written.set(150);

    now.addAndGet(3_000_000);
    pong.handle(ping);

    assertThat(keepalive.rttNanos()).isEqualTo(3_000_000);
    assertThat(keepalive.confirmed()).isEqualTo(99);
  }

  @Test
  void aPongOfAnotherShapeProvesThePeerAliveButMeasuresNothing() {
    tickAfter(INTERVAL);
    now.addAndGet(INTERVAL);
    pong.handle(Buffer.buffer("other"));

    assertThat(keepalive.rttNanos()).isEqualTo(-1);
    assertThat(keepalive.confirmed()).isEqualTo(7);
    tickAfter(INTERVAL + INTERVAL / 2);
    assertThat(deaths).as("heard at the pong, 1.5 intervals ago").hasValue(0);
  }

  @Test
  void silenceForTwoIntervalsIsDeathOnceAndStopsTheTimer() {
    tickAfter(INTERVAL);
    tickAfter(INTERVAL);
    assertThat(deaths).as("silent for exactly two intervals").hasValue(0);
    assertThat(pings).hasSize(2);

    tickAfter(1);
    assertThat(deaths).hasValue(1);
    assertThat(cancelled).containsExactly(TIMER_ID);

    tickAfter(INTERVAL);
    assertThat(deaths).hasValue(1);
    assertThat(pings).as("no ping to a dead peer").hasSize(2);
  }

  @Test
  void anythingHeardPutsDeathOffForTwoMoreIntervals() {
    tickAfter(INTERVAL + INTERVAL / 2);
    keepalive.heard();
    tickAfter(2 * INTERVAL);
    assertThat(deaths).hasValue(0);
    tickAfter(1);
    assertThat(deaths).hasValue(1);
  }
}
