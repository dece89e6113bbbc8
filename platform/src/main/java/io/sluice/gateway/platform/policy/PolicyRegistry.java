// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.policy;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The policy types the gateway knows, by type id. Immutable: loading or unloading plugins builds a new
 * registry, and the configuration is recompiled against it.
 */
public final class PolicyRegistry {

  private final Map<String, RegisteredFactory> byType;

  private PolicyRegistry(Map<String, RegisteredFactory> byType) {
    this.byType = Map.copyOf(byType);
  }

  public static final PolicyRegistry EMPTY = new PolicyRegistry(Map.of());

  /**
   * @throws IllegalStateException when two factories claim the same type
   */
  public static PolicyRegistry of(Collection<RegisteredFactory> factories) {
    Map<String, RegisteredFactory> byType = new LinkedHashMap<>();
    for (RegisteredFactory f : factories) {
      RegisteredFactory previous = byType.putIfAbsent(f.factory().type(), f);
      if (previous != null) {
        throw new IllegalStateException("policy type '" + f.factory().type() + "' is provided by both "
            + previous.source() + " and " + f.source());
      }
    }
    return new PolicyRegistry(byType);
  }

  /** This registry plus {@code more} (e.g. the platform's own script factory). */
  public PolicyRegistry plus(Collection<RegisteredFactory> more) {
    List<RegisteredFactory> all = new java.util.ArrayList<>(byType.values());
    all.addAll(more);
    return of(all);
  }

  public @Nullable RegisteredFactory get(String type) {
    return byType.get(type);
  }

  public Collection<RegisteredFactory> all() {
    return byType.values();
  }

  /** The known types, sorted, for error messages. */
  public String knownTypes() {
    return byType.isEmpty() ? "none" : String.join(", ", new TreeSet<>(byType.keySet()));
  }
}
