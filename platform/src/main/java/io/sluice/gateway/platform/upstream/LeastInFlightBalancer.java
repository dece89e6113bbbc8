// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.upstream;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The eligible target with the fewest requests in flight per unit of weight. Ties go round-robin (the scan
 * starts one further each time), so an idle upstream is not funnelled to its first target.
 */
final class LeastInFlightBalancer implements Balancer {

  private final TargetState[] targets;
  private final AtomicInteger start = new AtomicInteger();

  LeastInFlightBalancer(List<TargetState> targets) {
    this.targets = targets.toArray(new TargetState[0]);
  }

  @Override
  public @Nullable TargetState pick(@Nullable String key, long now, @Nullable TargetState avoid) {
    int n = targets.length;
    int offset = Math.floorMod(start.getAndIncrement(), n);
    TargetState best = null;
    long bestLoad = 0;
    long bestWeight = 1;
    for (int k = 0; k < n; k++) {
      TargetState t = targets[(offset + k) % n];
      if (!Balancer.eligible(t, now, avoid)) {
        continue;
      }
      long load = t.inFlight();
      long weight = t.target().weight();
      // load / weight < bestLoad / bestWeight, without division
      if (best == null || load * bestWeight < bestLoad * weight) {
        best = t;
        bestLoad = load;
        bestWeight = weight;
      }
    }
    return best;
  }
}
