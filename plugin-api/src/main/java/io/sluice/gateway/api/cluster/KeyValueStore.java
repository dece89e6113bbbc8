// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api.cluster;

import io.vertx.core.Future;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A map of values with a time-to-live each, shared by all nodes (sessions, nonces, idempotency keys).
 * Entries are never evicted before they expire. Values are limited to the {@linkplain ClusterValues#TYPES
 * types every node can read} and copied on the way in and out. Thread-safe; futures complete on the caller's
 * context and fail when the cluster cannot answer.
 *
 * @param <V> the value type, one of {@link ClusterValues#TYPES}
 */
public interface KeyValueStore<V> {

  /** The value, or null when absent or expired. */
  Future<@Nullable V> get(String key);

  /**
   * Stores the value, replacing any other, until {@code ttl} has passed.
   *
   * @param ttl at least 1 ms
   * @return fails with {@link IllegalArgumentException} when the value holds something other than JSON values
   *     (a {@code JsonObject} with a plugin's object inside)
   * @throws IllegalArgumentException when {@code ttl} is zero or negative
   */
  Future<Void> put(String key, V value, Duration ttl);

  /**
   * Stores the value only when the key is absent (or expired), atomically across nodes.
   *
   * @return true when it was stored, false when another value was there
   * @throws IllegalArgumentException when {@code ttl} is zero or negative
   */
  Future<Boolean> putIfAbsent(String key, V value, Duration ttl);

  /** Removes the key; completes normally when it was absent. */
  Future<Void> remove(String key);
}
