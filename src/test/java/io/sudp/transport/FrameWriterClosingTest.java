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
import java.time.Duration;
import java.util.List;
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
    WebSocketStub socket = new WebSocketStub();
    socket.closeMeanwhile();

    loop.submit(() -> writer.attach(socket.socket(), loop, List.of())).sync();
    loop.submit(() -> {}).sync(); // the drain the attach scheduled has run

    assertThat(failures.list).as("exceptions raised by the drain").isEmpty();
    assertThat(socket.sizes()).isEmpty();
    assertThat(writer.depth()).isEqualTo(1);
  }
}
