// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The meters a configuration's compilation registers (per-policy timers, plugin counters), so that a reload
 * removes those of the routes and policies it dropped, and a refused configuration leaves none behind.
 * Micrometer hands an existing meter back to a registration with the same name and tags, so a meter the next
 * configuration registers again simply stays.
 *
 * <p>Compilations are serialised by the reloader; {@link #register} may be called from a policy factory on
 * the compiling thread, while a scrape reads the registry concurrently.
 */
final class CompiledMeters {

  private final MeterRegistry registry;
  private Set<Meter.Id> serving = Set.of();
  private final Set<Meter.Id> compiling = ConcurrentHashMap.newKeySet();

  CompiledMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Notes that the compilation in progress uses {@code meter}; returns it. */
  <M extends Meter> M register(M meter) {
    compiling.add(meter.getId());
    return meter;
  }

  /** The compilation succeeded and serves: removes the meters that only the previous one used. */
  synchronized void commit() {
    Set<Meter.Id> next = new HashSet<>(compiling);
    compiling.clear();
    for (Meter.Id id : serving) {
      if (!next.contains(id)) {
        registry.remove(id);
      }
    }
    serving = next;
  }

  /** The compilation was refused: removes the meters that only it registered. */
  synchronized void discard() {
    for (Meter.Id id : compiling) {
      if (!serving.contains(id)) {
        registry.remove(id);
      }
    }
    compiling.clear();
  }
}
