// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sluice.gateway.platform.policy.ChainEntry;
import io.sluice.gateway.platform.policy.PolicyTimings;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Per route and policy type: the time each policy spends of an exchange ({@code sluice_policy_duration_seconds})
 * and its failures ({@code sluice_policy_failures_total}). The meters are registered when a chain is compiled
 * and held in arrays indexed like the chain, so recording is an array read and the timer's update.
 */
final class PolicyTimers implements PolicyTimings.Factory {

  /** Policies take microseconds to milliseconds; a remote call (introspection, a cluster counter) longer. */
  static final Duration[] BUCKETS = {
      Duration.ofNanos(50_000), Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000),
      Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
      Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
      Duration.ofSeconds(1)};

  private final MeterRegistry registry;
  private final CompiledMeters compiled;

  PolicyTimers(MeterRegistry registry, CompiledMeters compiled) {
    this.registry = registry;
    this.compiled = compiled;
  }

  @Override
  public PolicyTimings forChain(String routeId, List<ChainEntry> entries) {
    Timer[] timers = new Timer[entries.size()];
    Counter[] failures = new Counter[entries.size()];
    for (int i = 0; i < timers.length; i++) {
      String type = entries.get(i).type();
      timers[i] = compiled.register(Timer.builder("sluice.policy.duration")
          .description("Time a policy spent of an exchange, without the rest of the chain and the upstream")
          .tags("route", routeId, "policy", type)
          .serviceLevelObjectives(BUCKETS)
          .register(registry));
      failures[i] = compiled.register(Counter.builder("sluice.policy.failures")
          .description("Policy failures answered with 500 POLICY_ERROR (threw, failed, timed out, broke the chain)")
          .tags("route", routeId, "policy", type)
          .register(registry));
    }
    return new PolicyTimings() {
      @Override
      public void record(int index, long nanos) {
        timers[index].record(nanos, TimeUnit.NANOSECONDS);
      }

      @Override
      public void failed(int index) {
        failures[index].increment();
      }
    };
  }
}
