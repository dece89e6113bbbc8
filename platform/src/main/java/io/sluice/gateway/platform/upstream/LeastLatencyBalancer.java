// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.upstream;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * Power of two choices over peak-EWMA latency (Finagle's and Linkerd's latency-aware balancer): pick two
 * eligible targets at random and take the one whose cost, latency times (requests in flight + 1) per unit of
 * weight, is lower. Random pairs keep every node from herding onto the one target that looked fastest a
 * moment ago; the peak-sensitive average steers away from a target as soon as it slows down, and its decay
 * lets a recovered target earn traffic back. A target with no sample yet costs nothing, so new targets are
 * tried at once.
 */
final class LeastLatencyBalancer implements Balancer {

  private final TargetState[] targets;

  LeastLatencyBalancer(List<TargetState> targets) {
    this.targets = targets.toArray(new TargetState[0]);
  }

  @Override
  public @Nullable TargetState pick(@Nullable String key, long now, @Nullable TargetState avoid) {
    int eligible = 0;
    for (TargetState t : targets) {
      if (Balancer.eligible(t, now, avoid)) {
        eligible++;
      }
    }
    if (eligible == 0) {
      return null;
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int first = random.nextInt(eligible);
    if (eligible == 1) {
      return nth(first, now, avoid);
    }
    int second = random.nextInt(eligible - 1);
    if (second >= first) {
      second++;
    }
    TargetState a = nth(first, now, avoid);
    TargetState b = nth(second, now, avoid);
    if (a == null || b == null) {
      return a != null ? a : b;
    }
    return cost(b, now) < cost(a, now) ? b : a;
  }

  private static double cost(TargetState t, long now) {
    return (double) t.latencyNanos(now) * (t.inFlight() + 1) / t.target().weight();
  }

  /** The n-th eligible target (availability may change between the count and this scan: null then). */
  private @Nullable TargetState nth(int n, long now, @Nullable TargetState avoid) {
    int seen = 0;
    for (TargetState t : targets) {
      if (Balancer.eligible(t, now, avoid) && seen++ == n) {
        return t;
      }
    }
    return null;
  }
}
