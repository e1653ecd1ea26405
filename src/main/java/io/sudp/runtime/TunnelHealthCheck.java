package io.sudp.runtime;

import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Camel's readiness check of the tunnel ({@code sudp-tunnel}): Camel's own checks only see routes
 * that started, which they stay while the server is unreachable. DOWN while a server part does not
 * listen yet or any client connection is down, saying which server, since when and why; UP when
 * every part can carry traffic. Registered once per context, so SUDP's management port, Camel's
 * health endpoint and Hawtio all show it.
 */
final class TunnelHealthCheck extends AbstractHealthCheck {
  static final String ID = "sudp-tunnel";

  private final BooleanSupplier serverListening;
  private final Supplier<List<ConnectionState>> connections;

  /**
   * @param serverListening whether the server part listens; null without one
   * @param connections the client's connections; null without a client part
   */
  TunnelHealthCheck(BooleanSupplier serverListening, Supplier<List<ConnectionState>> connections) {
    super("sudp", ID);
    this.serverListening = serverListening;
    this.connections = connections;
  }

  /**
   * Registers the check of a server and a client (either may be null) in {@code context}'s
   * registry, replacing an older one.
   */
  static void register(CamelContext context, ServerAssembly server, ClientAssembly client) {
    HealthCheckRegistry registry = HealthCheckRegistry.get(context);
    if (registry == null) {
      return; // health checks are off in this context
    }
    TunnelHealthCheck check =
        new TunnelHealthCheck(
            server == null ? null : () -> server.socket().boundPort() > 0,
            client == null ? null : client::connectionStates);
    check.setCamelContext(context);
    registry.getCheck(ID).ifPresent(registry::unregister);
    registry.register(check);
  }

  @Override
  public boolean isLiveness() {
    return false; // a server that is down is no reason to restart this process
  }

  @Override
  protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
    builder.up();
    if (serverListening != null && !serverListening.getAsBoolean()) {
      builder.down().message("server: not listening yet");
      return;
    }
    if (connections == null) {
      return;
    }
    List<ConnectionState> down =
        connections.get().stream().filter(state -> !state.connected()).toList();
    if (down.isEmpty()) {
      return;
    }
    builder.down().message(String.join("; ", down.stream().map(this::describe).toList()));
    ConnectionState first = down.get(0);
    builder.detail("server", first.server());
    builder.detail("since", first.downSince().truncatedTo(ChronoUnit.MILLIS).toString());
    if (first.lastError() != null) {
      builder.detail("error", first.lastError());
    }
    builder.detail("connections.down", down.size());
  }

  private String describe(ConnectionState state) {
    return "not connected to "
        + state.server()
        + " since "
        + state.downSince().truncatedTo(ChronoUnit.SECONDS)
        + (state.lastError() == null ? "" : ": " + state.lastError());
  }
}
