// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api.cluster;

import io.vertx.core.Future;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** A map of values with a time-to-live each. */
public interface KeyValueStore<V> {

  /** The value, or null when absent or expired. */
  Future<@Nullable V> get(String key);

  Future<Void> put(String key, V value, Duration ttl);

  /** Stores the value only when the key is absent; true when it was stored. */
  Future<Boolean> putIfAbsent(String key, V value, Duration ttl);

  Future<Void> remove(String key);
}
