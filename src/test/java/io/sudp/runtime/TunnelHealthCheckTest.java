package io.sudp.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The tunnel's readiness check, fed plain states: no sockets, no routes. */
class TunnelHealthCheckTest {
  private static final String SERVER = "ws://127.0.0.1:8080/sudp";
  private static final Instant SINCE = Instant.parse("2026-12-01T10:15:30.123456Z");

  private final DefaultCamelContext context = new DefaultCamelContext();
  private final List<ConnectionState> connections = new ArrayList<>();
  private final AtomicBoolean listening = new AtomicBoolean();

  @AfterEach
  void closeContext() throws Exception {
    context.close();
  }

  private HealthCheck.Result call(TunnelHealthCheck check) {
    check.setCamelContext(context);
    return check.call();
  }

  @Test
  void isAReadinessCheckOnly() {
    TunnelHealthCheck check = new TunnelHealthCheck(listening::get, null);
    assertThat(check.isReadiness()).isTrue();
    assertThat(check.isLiveness()).isFalse();
    assertThat(check.getId()).isEqualTo("sudp-tunnel");
  }

  @Test
  void aServerIsUpOnceItListens() {
    TunnelHealthCheck check = new TunnelHealthCheck(listening::get, null);
    HealthCheck.Result before = call(check);
    assertThat(before.getState()).isEqualTo(HealthCheck.State.DOWN);
    assertThat(before.getMessage()).hasValue("server: not listening yet");

    listening.set(true);
    assertThat(call(check).getState()).isEqualTo(HealthCheck.State.UP);
  }

  @Test
  void aClientIsDownWhileAConnectionIsDownAndSaysWhichSinceWhenAndWhy() {
    connections.add(new ConnectionState("ws://other:9000/sudp", null, null));
    connections.add(new ConnectionState(SERVER, "Connection refused: /127.0.0.1:8080", SINCE));
    TunnelHealthCheck check = new TunnelHealthCheck(null, () -> List.copyOf(connections));

    HealthCheck.Result down = call(check);

    assertThat(down.getState()).isEqualTo(HealthCheck.State.DOWN);
    assertThat(down.getMessage())
        .hasValue(
            "not connected to "
                + SERVER
                + " since 2026-12-01T10:15:30Z: Connection refused: /127.0.0.1:8080");
    assertThat(down.getDetails())
        .containsEntry("server", SERVER)
        .containsEntry("error", "Connection refused: /127.0.0.1:8080")
        .containsEntry("since", "2026-12-01T10:15:30.123Z")
        .containsEntry("connections.down", 1);
  }

  @Test
  void aClientIsUpWhenEveryConnectionIsUp() {
    connections.add(new ConnectionState(SERVER, null, SINCE));
    TunnelHealthCheck check = new TunnelHealthCheck(listening::get, () -> List.copyOf(connections));
    listening.set(true);
    assertThat(call(check).getState()).isEqualTo(HealthCheck.State.DOWN);

    connections.set(0, new ConnectionState(SERVER, null, null));
    HealthCheck.Result up = call(check);
    assertThat(up.getState()).isEqualTo(HealthCheck.State.UP);
    assertThat(up.getMessage()).isEmpty();
  }

  @Test
  void aServerThatDoesNotListenIsTheReasonBeforeItsClient() {
    connections.add(new ConnectionState(SERVER, "Connection refused", SINCE));
    TunnelHealthCheck check = new TunnelHealthCheck(listening::get, () -> List.copyOf(connections));
    assertThat(call(check).getMessage()).hasValue("server: not listening yet");
  }
}
