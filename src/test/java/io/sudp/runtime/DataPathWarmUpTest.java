package io.sudp.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sudp.testing.CapturedLog;
import io.sudp.transport.WsServer;
import java.lang.management.ManagementFactory;
import java.net.ConnectException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The warm-up's loopback tunnel against real sockets: datagrams go through it and come back, and
 * when it returns, its ports are closed, its echo thread, files and MBeans gone, and the loggers it
 * quietened log as before.
 */
class DataPathWarmUpTest {
  @TempDir Path scratch;

  private static final Pattern WS_PORT = Pattern.compile("ws://127\\.0\\.0\\.1:(\\d+)/");
  private static final Pattern UDP_PORT = Pattern.compile("udp 127\\.0\\.0\\.1:(\\d+) ");

  @Test
  void datagramsGoThroughATunnelThatIsGoneWhenItReturns() throws Exception {
    DataPathWarmUp.Result result;
    String listening;
    String tunnel;
    try (CapturedLog log = CapturedLog.of(WsServer.class, TunnelParts.class)) {
      result = DataPathWarmUp.run(Duration.ofMillis(500), scratch);
      listening = log.first("WebSocket server listening").orElseThrow();
      tunnel = log.first("tunnel warm-up: udp").orElseThrow();
    }

    assertThat(result.echoed()).isPositive();
    assertThat(result.sent()).isGreaterThanOrEqualTo(result.echoed());
    assertThat(result.took()).isGreaterThanOrEqualTo(Duration.ofMillis(500));
    int wsPort = port(WS_PORT, listening);
    assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), wsPort).close())
        .isInstanceOf(ConnectException.class);
    try (DatagramSocket rebound =
        new DatagramSocket(port(UDP_PORT, tunnel), InetAddress.getLoopbackAddress())) {
      assertThat(rebound.isBound()).isTrue();
    }
    await().until(() -> Thread.getAllStackTraces().keySet().stream().noneMatch(this::isEcho));
    assertThat(ManagementFactory.getPlatformMBeanServer().queryNames(null, null))
        .map(ObjectName::toString)
        .noneMatch(name -> name.contains("sudp-warm-up"));
    assertThat(scratch).isEmptyDirectory();
  }

  @Test
  void quietItLogsOnlyThatItRanAndLeavesTheLevelsAsTheyWere() {
    try (CapturedLog log =
        CapturedLog.of(WsServer.class, TunnelParts.class, DataPathWarmUp.class)) {
      DataPathWarmUp.runAsConfigured(Duration.ofMillis(200));

      assertThat(log.contains("WebSocket server listening")).isFalse();
      assertThat(log.contains("tunnel warm-up")).isFalse();
      assertThat(log.first("warmed up in")).isPresent();
      assertThat(LoggerFactory.getLogger(WsServer.class).isInfoEnabled()).isTrue();
    }
    assertThat(LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).isInfoEnabled()).isTrue();
  }

  @Test
  void noneConfiguredRunsNothing() {
    try (CapturedLog log = CapturedLog.of(DataPathWarmUp.class)) {
      DataPathWarmUp.runAsConfigured(Duration.ZERO);

      assertThat(log.contains("warm")).isFalse();
    }
  }

  private boolean isEcho(Thread thread) {
    return thread.getName().equals("sudp-warm-up-echo");
  }

  private static int port(Pattern pattern, String line) {
    Matcher matcher = pattern.matcher(line);
    assertThat(matcher.find()).as(line).isTrue();
    return Integer.parseInt(matcher.group(1));
  }
}
