// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.gateway.platform.upstream.Outcome;
import io.sluice.gateway.platform.upstream.Target;
import io.sluice.gateway.platform.upstream.UpstreamListener;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upstream attempts by outcome, and ejections, per upstream and target. A target's counters are registered at
 * its first attempt and found again by two map reads (upstream name, then target), no key built per attempt.
 */
final class UpstreamMeters implements UpstreamListener {

  private static final Outcome[] OUTCOMES = Outcome.values();

  private final class TargetMeters {
    final Counter[] attempts = new Counter[OUTCOMES.length];
    final Counter ejections;

    TargetMeters(String upstream, Target target) {
      String authority = target.authority();
      for (Outcome o : OUTCOMES) {
        attempts[o.ordinal()] = Counter.builder("sluice.upstream.attempts")
            .description("Attempts sent to an upstream target, by outcome")
            .tags("upstream", upstream, "target", authority, "outcome", o.name().toLowerCase(Locale.ROOT))
            .register(registry);
      }
      ejections = Counter.builder("sluice.upstream.ejections")
          .description("Times a target was ejected after failing in a row")
          .tags("upstream", upstream, "target", authority).register(registry);
    }
  }

  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, ConcurrentHashMap<Target, TargetMeters>> upstreams =
      new ConcurrentHashMap<>();

  UpstreamMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void attempted(String upstream, Target target, Outcome outcome, int status, long latencyNanos) {
    meters(upstream, target).attempts[outcome.ordinal()].increment();
  }

  @Override
  public void ejected(String upstream, Target target, long forNanos) {
    meters(upstream, target).ejections.increment();
  }

  private TargetMeters meters(String upstream, Target target) {
    ConcurrentHashMap<Target, TargetMeters> targets = upstreams.get(upstream);
    if (targets == null) {
      targets = upstreams.computeIfAbsent(upstream, u -> new ConcurrentHashMap<>());
    }
    TargetMeters meters = targets.get(target);
    if (meters == null) {
      meters = targets.computeIfAbsent(target, t -> new TargetMeters(upstream, t));
    }
    return meters;
  }
}
