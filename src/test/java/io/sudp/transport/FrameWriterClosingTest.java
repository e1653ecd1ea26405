package io.sudp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.AbstractEventExecutor;
import io.sudp.ops.Direction;
import io.sudp.ops.TrafficCounters;
import io.sudp.protocol.FlowSequence;
import io.sudp.protocol.OutboundData;
import io.vertx.core.http.WebSocketBase;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A socket closed from another thread while the writer drains it: Vert.x says "open" and then
 * throws "WebSocket is closed" when asked for room (seen as a server stopped with clients
 * connected). The writer stops writing and keeps what is queued, without an exception.
 */
class FrameWriterClosingTest {
  private final EventLoop loop = new DefaultEventLoop();
  private final Logger executorLog = (Logger) LoggerFactory.getLogger(AbstractEventExecutor.class);
  private final ListAppender<ILoggingEvent> failures = new ListAppender<>();

  @AfterEach
  void stop() {
    executorLog.detachAppender(failures);
    loop.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** A socket that reports itself open, then fails the question for room as Vert.x does. */
  private static WebSocketBase closingMeanwhile(AtomicInteger writes) {
    return (WebSocketBase)
        Proxy.newProxyInstance(
            WebSocketBase.class.getClassLoader(),
            new Class<?>[] {WebSocketBase.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "isClosed" -> false;
                  case "writeQueueFull" -> throw new IllegalStateException("WebSocket is closed");
                  case "writeBinaryMessage" -> {
                    writes.incrementAndGet();
                    yield null;
                  }
                  case "drainHandler" -> proxy;
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }

  @Test
  void aSocketClosedDuringTheDrainStopsItQuietly() throws Exception {
    failures.start();
    executorLog.addAppender(failures);
    FrameWriter writer =
        new FrameWriter(
            new QueueLimits(100, 1 << 20, Duration.ofSeconds(3)),
            new TrafficCounters(),
            Direction.UPSTREAM,
            QueueBudget.of(1 << 20, 1));
    assertThat(writer.offer(new OutboundData(1, new FlowSequence(), new byte[10]))).isTrue();
    AtomicInteger writes = new AtomicInteger();

    loop.submit(() -> writer.attach(closingMeanwhile(writes), loop, List.of())).sync();
    loop.submit(() -> {}).sync(); // the drain the attach scheduled has run

    assertThat(failures.list).as("exceptions raised by the drain").isEmpty();
    assertThat(writes).hasValue(0);
    assertThat(writer.depth()).isEqualTo(1);
  }
}
