// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api.cluster;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A bounded cache of byte values (responses, lookups). Entries may be evicted before they expire, so every
 * {@link #get} may miss. Values are copied on the way in and out. Thread-safe; futures complete on the
 * caller's context and fail when the cluster cannot answer (a policy usually treats that as a miss).
 */
public interface Cache {

  /** The value, or null on a miss (absent, expired or evicted). */
  Future<@Nullable Buffer> get(String key);

  /**
   * Stores a copy of the value, replacing any other, for at most {@code ttl}.
   *
   * @param ttl at least 1 ms
   * @throws IllegalArgumentException when {@code ttl} is zero or negative
   */
  Future<Void> put(String key, Buffer value, Duration ttl);

  /** Removes the entry; completes normally when it was absent. */
  Future<Void> invalidate(String key);
}
