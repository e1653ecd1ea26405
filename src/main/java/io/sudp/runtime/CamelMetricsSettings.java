package io.sudp.runtime;

import java.util.function.BiConsumer;

/**
 * What camel-micrometer adds to SUDP's own {@code /metrics}, on the registry the runtime binds as
 * {@code metricsRegistry}: route counts ({@code camel_routes_*}) and the JVM's memory, collections,
 * threads, classes, CPU and uptime ({@code jvm_*}, {@code process_*}, {@code system_*}). Nothing
 * that costs per exchange: the per-route timer formats a property name three times per exchange,
 * more than half of what a tunnel process allocated when one datagram woke each hop
 * (docs/performance.md), and the event notifier makes an event object per exchange and endpoint.
 * Given as camel-main properties, so {@code -Dcamel.metrics.*} on the command line still overrides
 * each (e.g. {@code -Dcamel.metrics.enableRoutePolicy=true} brings the per-route series back).
 */
final class CamelMetricsSettings {
  static final String BINDERS = "jvm-memory,jvm-gc,jvm-thread,class-loader,processor,uptime";

  private CamelMetricsSettings() {}

  /** Hands each setting to {@code property}, camel-main's initial properties. */
  static void apply(BiConsumer<String, String> property) {
    property.accept("camel.metrics.enabled", "true");
    property.accept("camel.metrics.binders", BINDERS);
    property.accept("camel.metrics.enableRoutePolicy", "false");
    // one timer per route and none for the whole context, once the timer is turned on
    property.accept("camel.metrics.routePolicyLevel", "route");
    property.accept("camel.metrics.enableExchangeEventNotifier", "false");
    property.accept("camel.metrics.enableRouteEventNotifier", "true");
  }
}
