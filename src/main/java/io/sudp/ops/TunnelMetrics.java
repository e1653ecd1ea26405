package io.sudp.ops;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Publishes one tunnel end's counters as Prometheus-style meters, read when scraped: nothing is
 * done per datagram beyond the counters that exist anyway. Every meter has the tag {@code role}
 * ({@code client} or {@code server}).
 */
public final class TunnelMetrics {
  private final MeterRegistry registry;
  private final String role;

  public TunnelMetrics(MeterRegistry registry, String role) {
    this.registry = registry;
    this.role = role;
  }

  /** The counters every end has: datagrams, bytes, drops by cause, loss, refusals. */
  public TunnelMetrics counters(TrafficCounters counters) {
    counter(
        "sudp.datagrams",
        "datagrams passed on",
        counters,
        c -> c.upstreamDatagrams(),
        "direction",
        "upstream");
    counter(
        "sudp.datagrams",
        "datagrams passed on",
        counters,
        c -> c.downstreamDatagrams(),
        "direction",
        "downstream");
    counter(
        "sudp.bytes",
        "payload bytes passed on",
        counters,
        c -> c.upstreamBytes(),
        "direction",
        "upstream");
    counter(
        "sudp.bytes",
        "payload bytes passed on",
        counters,
        c -> c.downstreamBytes(),
        "direction",
        "downstream");
    for (DropCause cause : DropCause.values()) {
      counter(
          "sudp.drops",
          "datagrams dropped at this end, by cause",
          counters,
          c -> c.drops(cause),
          "cause",
          cause.label());
    }
    for (Refusal refusal : Refusal.values()) {
      counter(
          "sudp.refusals",
          "connections and reverse listeners refused, by cause",
          counters,
          c -> c.refusals(refusal),
          "cause",
          refusal.label());
    }
    counter("sudp.lost", "datagrams lost in transit (sequence gaps)", counters, c -> c.lost());
    counter(
        "sudp.unconfirmed",
        "datagrams in doubt after a server restart",
        counters,
        c -> c.unconfirmed());
    counter("sudp.reordered", "datagrams that arrived out of order", counters, c -> c.reordered());
    counter(
        "sudp.client.address.fallbacks",
        "requests from a trusted proxy that named no usable client address",
        counters,
        c -> c.clientAddressFallbacks());
    for (ProtocolViolation violation : ProtocolViolation.values()) {
      counter(
          "sudp.protocol.violations",
          "peers that broke the protocol, by cause",
          counters,
          c -> c.violations(violation),
          "cause",
          violation.label());
    }
    return this;
  }

  /**
   * The meters of one tunnel or one user ({@code kind} "tunnel" or "user"), tagged with its name:
   * {@code sudp_KIND_datagrams_total{direction}}, {@code sudp_KIND_bytes_total{direction}}, {@code
   * sudp_KIND_drops_total}. Returned, so that they can be removed with the tunnel.
   */
  public List<Meter> traffic(String kind, String name, Traffic traffic) {
    String prefix = "sudp." + kind;
    List<Meter> meters = new ArrayList<>();
    meters.addAll(
        bothDirections(
            prefix + ".datagrams",
            "datagrams of this " + kind,
            traffic,
            Traffic::upDatagrams,
            Traffic::downDatagrams,
            kind,
            name));
    meters.addAll(
        bothDirections(
            prefix + ".bytes",
            "payload bytes of this " + kind,
            traffic,
            Traffic::upBytes,
            Traffic::downBytes,
            kind,
            name));
    meters.add(
        counter(
            prefix + ".drops",
            "datagrams of this " + kind + " dropped",
            traffic,
            Traffic::drops,
            kind,
            name));
    meters.add(
        counter(
            prefix + ".lost",
            "datagrams of this " + kind + " lost in transit",
            traffic,
            Traffic::lost,
            kind,
            name));
    return meters;
  }

  /** One counter per direction, tagged {@code direction=upstream|downstream}. */
  private List<Meter> bothDirections(
      String meter,
      String description,
      Traffic traffic,
      ToDoubleFunction<Traffic> up,
      ToDoubleFunction<Traffic> down,
      String kind,
      String name) {
    return List.of(
        counter(meter, description, traffic, up, kind, name, "direction", "upstream"),
        counter(meter, description, traffic, down, kind, name, "direction", "downstream"));
  }

  /**
   * A count read from {@code owner} when scraped, such as reconnects. Micrometer holds the owner
   * weakly: it must be an object that lives as long as the meter (not a lambda, which the next
   * garbage collection would take, freezing the count). {@code tags} are pairs of name and value.
   */
  public <T> TunnelMetrics count(
      String name, String description, T owner, ToDoubleFunction<T> value, String... tags) {
    counter(name, description, owner, value, tags);
    return this;
  }

  /** A value read when scraped, such as active flows or connections. */
  public TunnelMetrics gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).tag("role", role).register(registry);
    return this;
  }

  /** A gauge of one tunnel, tagged with its name, to remove with the tunnel. */
  public Meter tunnelGauge(String name, String description, String tunnel, Supplier<Number> value) {
    return Gauge.builder(name, value)
        .description(description)
        .tag("role", role)
        .tag("tunnel", tunnel)
        .register(registry);
  }

  private <T> Meter counter(
      String name, String description, T source, ToDoubleFunction<T> value, String... tags) {
    return FunctionCounter.builder(name, source, value)
        .description(description)
        .tag("role", role)
        .tags(tags)
        .register(registry);
  }
}
