// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * Requests by consumer and status class ({@code sluice_consumer_requests_total}) with a bounded number of
 * series: the first {@code maxLabels} consumers seen get a label of their own, for the life of the gateway;
 * every later one counts as {@value #OTHER}, and requests without a consumer as {@value #NONE}. A consumer's
 * slot number comes from a map that stops growing at the bound; its counters sit in an array by slot and status
 * class, registered at the slot's first use.
 */
final class ConsumerMeters {

  static final String NONE = "(none)";
  static final String OTHER = "other";

  private final MeterRegistry registry;
  private final int maxLabels;
  private final ConcurrentHashMap<String, Integer> slots = new ConcurrentHashMap<>();
  /** Slot 0: no consumer; 1: other; 2..: the consumers with a label of their own. */
  private final AtomicReferenceArray<@Nullable Counter> counters;
  private final String[] names;

  ConsumerMeters(MeterRegistry registry, int maxLabels) {
    this.registry = registry;
    this.maxLabels = maxLabels;
    this.counters = new AtomicReferenceArray<>((maxLabels + 2) * RouteMeters.STATUS_CLASSES.length);
    this.names = new String[maxLabels + 2];
    names[0] = NONE;
    names[1] = OTHER;
  }

  void record(@Nullable String consumer, int status) {
    int slot = consumer == null ? 0 : slot(consumer);
    int i = slot * RouteMeters.STATUS_CLASSES.length + RouteMeters.statusClass(status);
    Counter c = counters.get(i);
    if (c == null) {
      c = Counter.builder("sluice.consumer.requests")
          .description("Finished exchanges by consumer (the first metrics.consumers.maxLabels seen; later ones as other)")
          .tags("consumer", names[slot], "status", RouteMeters.STATUS_CLASSES[RouteMeters.statusClass(status)])
          .register(registry);
      counters.set(i, c);
    }
    c.increment();
  }

  private int slot(String consumer) {
    Integer known = slots.get(consumer);
    if (known != null) {
      return known;
    }
    if (slots.size() >= maxLabels) {
      return 1;
    }
    synchronized (this) {
      known = slots.get(consumer);
      if (known != null) {
        return known;
      }
      int next = slots.size();
      if (next >= maxLabels) {
        return 1;
      }
      names[next + 2] = consumer;
      slots.put(consumer, next + 2);
      return next + 2;
    }
  }

  /** How many consumers have a label of their own. */
  int labelled() {
    return slots.size();
  }
}
