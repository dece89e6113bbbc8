// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api.cluster;

/**
 * The state a policy can share across exchanges and gateway nodes, from {@link
 * io.sluice.gateway.api.PolicyContext#cluster()}. Every operation is asynchronous, completes on the caller's
 * context, and may fail when the cluster is unavailable; policies that depend on it offer a {@code failOpen}
 * setting. The full contract is in the {@linkplain io.sluice.gateway.api.cluster package documentation}.
 *
 * <pre>{@code
 * Counters counters = context.cluster().counters();
 * KeyValueStore<JsonObject> sessions = context.cluster().store("sessions", JsonObject.class);
 * Cache responses = context.cluster().cache("responses");
 * }</pre>
 *
 * <p>The accessors are cheap and thread-safe; a factory usually calls them once in {@code create}.
 */
public interface ClusterServices {

  /** Atomic counters with a time-to-live (rate limits, quotas). */
  Counters counters();

  /**
   * A store that keeps values until their time-to-live expires (never evicts earlier). Stores of the same
   * name and policy type are the same store, on every node.
   *
   * @param name the store's name within this policy type's key space
   * @param valueType one of the {@linkplain ClusterValues#TYPES allowed value types}
   * @throws IllegalArgumentException when {@code valueType} is not one of them; the message names the allowed
   *     types
   */
  <V> KeyValueStore<V> store(String name, Class<V> valueType);

  /**
   * A bounded cache of byte values: entries may be evicted before their time-to-live, so a miss is always a
   * possible answer. Caches of the same name and policy type are the same cache.
   */
  Cache cache(String name);
}
