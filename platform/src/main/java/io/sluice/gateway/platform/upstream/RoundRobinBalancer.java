// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.upstream;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Smooth weighted round-robin, nginx's algorithm: every pick adds each eligible target's weight to its
 * running score, takes the highest and subtracts the eligible total from it. Over any run of
 * sum-of-weights picks each target is picked exactly its weight times, interleaved rather than in bursts.
 * Unavailable targets are skipped, so their share spreads over the others in proportion.
 */
final class RoundRobinBalancer implements Balancer {

  private final TargetState[] targets;
  private final int[] current;

  RoundRobinBalancer(List<TargetState> targets) {
    this.targets = targets.toArray(new TargetState[0]);
    this.current = new int[this.targets.length];
  }

  @Override
  public @Nullable TargetState pick(@Nullable String key, long now, @Nullable TargetState avoid) {
    if (targets.length == 1) {
      TargetState only = targets[0];
      return Balancer.eligible(only, now, avoid) ? only : null;
    }
    synchronized (current) {
      int best = -1;
      int total = 0;
      for (int i = 0; i < targets.length; i++) {
        TargetState t = targets[i];
        if (!Balancer.eligible(t, now, avoid)) {
          continue;
        }
        int w = t.target().weight();
        current[i] += w;
        total += w;
        if (best < 0 || current[i] > current[best]) {
          best = i;
        }
      }
      if (best < 0) {
        return null;
      }
      current[best] -= total;
      return targets[best];
    }
  }
}
