// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.noop.NoopCounter;
import io.micrometer.core.instrument.noop.NoopTimer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * The meters of one route: requests and latency by method and status class, upstream latency, bytes in and
 * out. A (method, status class) pair's meters are registered the first time it is seen and kept in an array
 * slot, so recording an exchange costs an array read and the meters' own atomic updates.
 */
final class RouteMeters {

  /** Latency buckets for a gateway: from sub-millisecond proxying to the slow upstream worth alerting on. */
  static final Duration[] LATENCY_BUCKETS = {
      Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
      Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
      Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
      Duration.ofSeconds(10), Duration.ofSeconds(30)};

  /** The methods with a slot of their own; anything else is counted as {@code other}. */
  static final String[] METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "other"};

  /** Status classes: 0 (no response), 1xx .. 5xx. */
  static final String[] STATUS_CLASSES = {"none", "1xx", "2xx", "3xx", "4xx", "5xx"};

  private record Slot(Counter requests, Timer latency) {}

  private final MeterRegistry registry;
  private final String route;
  private final AtomicReferenceArray<@Nullable Slot> slots =
      new AtomicReferenceArray<>(METHODS.length * STATUS_CLASSES.length);
  private final Timer upstreamLatency;
  private final DistributionSummary bytesIn;
  private final DistributionSummary bytesOut;
  private final Counter retries;
  private boolean removed;

  RouteMeters(MeterRegistry registry, String route) {
    this.registry = registry;
    this.route = route;
    this.upstreamLatency = Timer.builder("sluice.upstream.latency")
        .description("Time from sending a request upstream to its response head (the last attempt)")
        .tag("route", route)
        .serviceLevelObjectives(LATENCY_BUCKETS)
        .register(registry);
    this.bytesIn = DistributionSummary.builder("sluice.request.bytes")
        .description("Bytes read from clients").baseUnit("bytes").tag("route", route).register(registry);
    this.bytesOut = DistributionSummary.builder("sluice.response.bytes")
        .description("Bytes written to clients").baseUnit("bytes").tag("route", route).register(registry);
    this.retries = Counter.builder("sluice.upstream.retries")
        .description("Upstream attempts after the first").tag("route", route).register(registry);
  }

  void record(String method, int status, long latencyNanos, long upstreamNanos, long in, long out, int retried) {
    Slot slot = slot(methodIndex(method), statusClass(status));
    slot.requests.increment();
    slot.latency.record(latencyNanos, TimeUnit.NANOSECONDS);
    if (upstreamNanos >= 0) {
      upstreamLatency.record(upstreamNanos, TimeUnit.NANOSECONDS);
    }
    bytesIn.record(in);
    bytesOut.record(out);
    if (retried > 0) {
      retries.increment(retried);
    }
  }

  private Slot slot(int method, int statusClass) {
    int i = method * STATUS_CLASSES.length + statusClass;
    Slot slot = slots.get(i);
    return slot != null ? slot : newSlot(method, statusClass, i);
  }

  /**
   * Registers a slot's meters, once; under the lock that {@link #remove} takes, so that an exchange finishing
   * while a reload drops its route cannot register meters after they were removed (they would leak).
   */
  private synchronized Slot newSlot(int method, int statusClass, int i) {
    Slot slot = slots.get(i);
    if (slot == null && removed) {
      // The route is gone: registering now would leak (or take the meters of a route re-added with its id).
      Meter.Id none = new Meter.Id("sluice.requests", Tags.empty(), null, null, Meter.Type.COUNTER);
      return new Slot(new NoopCounter(none), new NoopTimer(none));
    }
    if (slot == null) {
      // First exchange of this kind on this route: register once (Micrometer returns the same meters to a race).
      String m = METHODS[method];
      String c = STATUS_CLASSES[statusClass];
      slot = new Slot(
          Counter.builder("sluice.requests").description("Finished exchanges")
              .tags("route", route, "method", m, "status", c).register(registry),
          Timer.builder("sluice.request.latency").description("Time from the request head to the response's end")
              .tags("route", route, "method", m, "status", c)
              .serviceLevelObjectives(LATENCY_BUCKETS).register(registry));
      slots.set(i, slot);
    }
    return slot;
  }

  /** Removes this route's meters from the registry (the route is gone from the configuration). */
  synchronized void remove() {
    removed = true;
    for (int i = 0; i < slots.length(); i++) {
      Slot slot = slots.get(i);
      if (slot != null) {
        registry.remove(slot.requests);
        registry.remove(slot.latency);
      }
    }
    registry.remove(upstreamLatency);
    registry.remove(bytesIn);
    registry.remove(bytesOut);
    registry.remove(retries);
  }

  static int statusClass(int status) {
    return status < 100 || status > 599 ? 0 : status / 100;
  }

  static int methodIndex(String method) {
    // The common methods by length and first letter: no hashing, no string building.
    switch (method.length()) {
      case 3:
        return method.equals("GET") ? 0 : method.equals("PUT") ? 3 : METHODS.length - 1;
      case 4:
        return method.equals("HEAD") ? 1 : method.equals("POST") ? 2 : METHODS.length - 1;
      case 5:
        return method.equals("PATCH") ? 5 : METHODS.length - 1;
      case 6:
        return method.equals("DELETE") ? 4 : METHODS.length - 1;
      case 7:
        return method.equals("OPTIONS") ? 6 : METHODS.length - 1;
      default:
        return METHODS.length - 1;
    }
  }
}
