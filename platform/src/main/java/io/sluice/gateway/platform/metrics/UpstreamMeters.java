// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.sluice.gateway.platform.upstream.Outcome;
import io.sluice.gateway.platform.upstream.Target;
import io.sluice.gateway.platform.upstream.TargetState;
import io.sluice.gateway.platform.upstream.Upstream;
import io.sluice.gateway.platform.upstream.UpstreamListener;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * Per upstream and target: attempts by outcome and ejections (counters), and the target's state as gauges
 * (available, healthy, ejected, breaker state, attempts in flight). A target's meters are made when the
 * configuration that has it starts serving ({@link #serving}) and removed when one without it does; an attempt
 * finds them by two map reads (upstream name, then target), no key built per attempt.
 */
final class UpstreamMeters implements UpstreamListener {

  private static final Outcome[] OUTCOMES = Outcome.values();

  private final class TargetMeters {
    final Counter[] attempts = new Counter[OUTCOMES.length];
    final Counter ejections;
    final List<Meter> all = new ArrayList<>();

    TargetMeters(String upstream, Target target, TargetState state) {
      String authority = target.authority();
      Tags tags = Tags.of("upstream", upstream, "target", authority);
      for (Outcome o : OUTCOMES) {
        attempts[o.ordinal()] = Counter.builder("sluice.upstream.attempts")
            .description("Attempts sent to an upstream target, by outcome")
            .tags(tags).tag("outcome", o.name().toLowerCase(Locale.ROOT))
            .register(registry);
        all.add(attempts[o.ordinal()]);
      }
      ejections = Counter.builder("sluice.upstream.ejections")
          .description("Times a target was ejected after failing in a row")
          .tags(tags).register(registry);
      all.add(ejections);
      gauge("sluice.upstream.target.available", "1 when the target can be picked now, else 0", tags, state,
          s -> s.availableNow() ? 1 : 0);
      gauge("sluice.upstream.target.healthy", "1 when the active health check passes (or there is none), else 0",
          tags, state, s -> s.healthyNow() ? 1 : 0);
      gauge("sluice.upstream.target.ejected", "1 while outlier detection has the target ejected, else 0", tags,
          state, s -> s.ejectedNow() ? 1 : 0);
      gauge("sluice.upstream.target.breaker.state", "Circuit breaker: 0 closed (or none), 1 open, 2 half-open",
          tags, state, TargetState::breakerStateNow);
      gauge("sluice.upstream.target.in.flight", "Attempts in flight to the target", tags, state,
          TargetState::inFlightNow);
    }

    private void gauge(String name, String description, Tags tags, TargetState state,
        ToDoubleFunction<TargetState> value) {
      all.add(Gauge.builder(name, state, value).description(description).tags(tags).strongReference(true)
          .register(registry));
    }

    void remove() {
      all.forEach(registry::remove);
    }
  }

  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, ConcurrentHashMap<Target, TargetMeters>> upstreams =
      new ConcurrentHashMap<>();

  UpstreamMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public synchronized void serving(Collection<Upstream> serving) {
    Map<String, Map<Target, TargetState>> next = new HashMap<>();
    for (Upstream u : serving) {
      Map<Target, TargetState> targets = next.computeIfAbsent(u.name(), n -> new HashMap<>());
      for (TargetState t : u.targets()) {
        targets.put(t.target(), t);
      }
    }
    upstreams.entrySet().removeIf(entry -> {
      Map<Target, TargetState> kept = next.get(entry.getKey());
      entry.getValue().entrySet().removeIf(t -> {
        boolean gone = kept == null || !kept.containsKey(t.getKey());
        if (gone) {
          t.getValue().remove();
        }
        return gone;
      });
      return kept == null;
    });
    next.forEach((name, targets) -> {
      ConcurrentHashMap<Target, TargetMeters> known = upstreams.computeIfAbsent(name, n -> new ConcurrentHashMap<>());
      targets.forEach((target, state) -> known.computeIfAbsent(target, t -> new TargetMeters(name, t, state)));
    });
  }

  @Override
  public void attempted(String upstream, Target target, Outcome outcome, int status, long latencyNanos) {
    TargetMeters m = meters(upstream, target);
    if (m != null) {
      m.attempts[outcome.ordinal()].increment();
    }
  }

  @Override
  public void ejected(String upstream, Target target, long forNanos) {
    TargetMeters m = meters(upstream, target);
    if (m != null) {
      m.ejections.increment();
    }
  }

  /**
   * The target's meters, made when its configuration started serving; null for an attempt that finished after
   * a reload dropped the target (its meters are gone and must stay gone).
   */
  private @Nullable TargetMeters meters(String upstream, Target target) {
    ConcurrentHashMap<Target, TargetMeters> targets = upstreams.get(upstream);
    return targets == null ? null : targets.get(target);
  }
}
