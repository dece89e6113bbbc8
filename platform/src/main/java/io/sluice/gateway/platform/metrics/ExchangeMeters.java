// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.gateway.platform.exchange.ExchangeListener;
import io.sluice.gateway.platform.exchange.FinishedExchange;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts every finished exchange into its route's {@link RouteMeters} (made when the configuration that has the
 * route is compiled; found by one map read of the route id) and into the {@link ConsumerMeters}. Exchanges that matched no route count
 * under the route tag {@value #NO_ROUTE}. Routes are bounded by the configuration, so are the meters: when a
 * reload removes a route, {@link #retain} removes its meters.
 */
final class ExchangeMeters implements ExchangeListener {

  /** The route tag of exchanges that matched no route (404s, refused heads). */
  static final String NO_ROUTE = "(none)";

  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, RouteMeters> routes = new ConcurrentHashMap<>();
  private final ConsumerMeters consumers;

  ExchangeMeters(MeterRegistry registry, int maxConsumerLabels) {
    this.registry = registry;
    this.consumers = new ConsumerMeters(registry, maxConsumerLabels);
  }

  @Override
  public void finished(FinishedExchange e) {
    String route = e.route() != null ? e.route() : NO_ROUTE;
    RouteMeters meters = routes.get(route);
    if (meters == null) {
      if (e.route() != null) {
        // A route a reload dropped while this exchange was in flight: its meters are gone, and stay gone.
        consumers.record(e.consumer(), e.status());
        return;
      }
      meters = routes.computeIfAbsent(route, r -> new RouteMeters(registry, r));
    }
    meters.record(e.method(), e.status(), e.latencyNanos(), e.upstreamLatencyNanos(), e.bytesIn(), e.bytesOut(),
        e.retries());
    consumers.record(e.consumer(), e.status());
  }

  /**
   * Makes the meters of {@code routeIds} (the configuration that now serves), keeps those of unmatched
   * exchanges, and removes the others'.
   */
  void retain(Collection<String> routeIds) {
    for (String id : routeIds) {
      routes.computeIfAbsent(id, r -> new RouteMeters(registry, r));
    }
    routes.entrySet().removeIf(entry -> {
      boolean gone = !entry.getKey().equals(NO_ROUTE) && !routeIds.contains(entry.getKey());
      if (gone) {
        entry.getValue().remove();
      }
      return gone;
    });
  }
}
