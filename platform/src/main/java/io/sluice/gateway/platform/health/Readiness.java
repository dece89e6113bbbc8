// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.health;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The conditions a gateway must meet before it takes traffic. Each part that needs time to become ready
 * registers a condition at start ({@code routes}, {@code listener}; later e.g. {@code cluster} once the node
 * joined) and marks it met; the gateway is ready when all are. A condition may go back to pending (a cluster
 * node that lost its members). Thread-safe.
 */
public final class Readiness {

  private final Map<String, Boolean> conditions = new ConcurrentHashMap<>();

  /** Adds a pending condition. */
  public void register(String name) {
    conditions.putIfAbsent(name, false);
  }

  /** Marks a registered condition as met (true) or pending again (false). */
  public void set(String name, boolean met) {
    if (conditions.replace(name, met) == null) {
      throw new IllegalArgumentException("unknown readiness condition '" + name + "'");
    }
  }

  public boolean ready() {
    return !conditions.containsValue(false);
  }

  /** The names of the conditions not met yet, sorted. */
  public List<String> pending() {
    return conditions.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).sorted()
        .collect(Collectors.toList());
  }

  /** Every condition and whether it is met, sorted by name. */
  public Map<String, Boolean> all() {
    return new java.util.TreeMap<>(conditions);
  }
}
