// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api.cluster;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** A bounded cache of byte values (responses, lookups). Entries may be evicted before they expire. */
public interface Cache {

  /** The value, or null on a miss. */
  Future<@Nullable Buffer> get(String key);

  Future<Void> put(String key, Buffer value, Duration ttl);

  Future<Void> invalidate(String key);
}
