// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api;

/**
 * Counters a policy reports through the gateway's metrics (Prometheus at {@code GET /metrics}, and OTLP when
 * configured). Ask for them in {@link PolicyFactory#create}, never per request: asking registers the meter,
 * counting is then one atomic add.
 *
 * <p>A counter named {@code hits} asked for by the factory of type {@code cache} is exported as
 * {@code sluice_plugin_cache_hits_total} with the label {@code route} (the route the policy was created for),
 * so that every third-party plugin's meters sit under one prefix and never collide with the gateway's or
 * another plugin's. The gateway removes the meters of a route when a reload drops it.
 *
 * <pre>{@code
 * public Policy create(CacheConfig config, PolicyContext context) {
 *   PolicyMeters.Counter hits = context.meters().counter("hits", "Responses served from the cache");
 *   return (exchange, chain) -> { ... hits.increment(); ... };
 * }
 * }</pre>
 *
 * <p>With metrics off ({@code metrics.enabled: false}) and in the test kit, counters do nothing.
 */
public interface PolicyMeters {

  /** Meters that count nothing: metrics are off. */
  PolicyMeters NONE = (name, description) -> Counter.NONE;

  /**
   * The counter {@code name} of this policy type on this route, registered now; asking twice for one name
   * returns a counter that adds to the same series.
   *
   * @param name lower snake case, {@code [a-z][a-z0-9_]*}, at most 64 characters, without the {@code _total}
   *     suffix (added on export)
   * @param description one line for the metric's {@code # HELP}
   * @throws IllegalArgumentException when the name is not of that form
   */
  Counter counter(String name, String description);

  /** A monotonic counter. Thread-safe and non-blocking: call it from any event loop. */
  @FunctionalInterface
  interface Counter {

    /** Counts nothing. */
    Counter NONE = amount -> {};

    /** Adds one. */
    default void increment() {
      increment(1);
    }

    /** Adds {@code amount} (not negative). */
    void increment(long amount);
  }
}
