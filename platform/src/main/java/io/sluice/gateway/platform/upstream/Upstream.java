// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.upstream;

import java.util.List;

/**
 * A named group of targets, and the choice of target for each request: smooth weighted round-robin (the
 * nginx algorithm: over any window of sum-of-weights picks each target is chosen exactly its weight times,
 * interleaved rather than in bursts).
 *
 * <p>Thread-safe: routes on every event loop share one instance. The pick is a short synchronized section
 * over a handful of integers, never contended for long.
 */
public final class Upstream {

  private final String name;
  private final String basePath;
  private final List<Target> targets;
  private final int[] current;
  private final int totalWeight;

  /**
   * @param name the upstream's name in config, or the URL for a route that names a URL
   * @param basePath a path prefix prepended to every upstream path ({@code ""} for none)
   */
  public Upstream(String name, String basePath, List<Target> targets) {
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("an upstream needs at least one target");
    }
    this.name = name;
    this.basePath = basePath;
    this.targets = List.copyOf(targets);
    this.current = new int[targets.size()];
    this.totalWeight = targets.stream().mapToInt(Target::weight).sum();
  }

  public String name() {
    return name;
  }

  /** A prefix for upstream paths, without a trailing slash; empty for none. */
  public String basePath() {
    return basePath;
  }

  public List<Target> targets() {
    return targets;
  }

  /** The target for the next request. */
  public Target next() {
    if (targets.size() == 1) {
      return targets.get(0);
    }
    synchronized (current) {
      int best = 0;
      for (int i = 0; i < current.length; i++) {
        current[i] += targets.get(i).weight();
        if (current[i] > current[best]) {
          best = i;
        }
      }
      current[best] -= totalWeight;
      return targets.get(best);
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
