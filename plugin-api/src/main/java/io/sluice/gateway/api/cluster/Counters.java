// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api.cluster;

import io.vertx.core.Future;
import java.time.Duration;

/** Atomic counters with a time-to-live, e.g. for fixed-window rate limits. */
public interface Counters {

  /**
   * Atomically adds {@code delta} to the counter at {@code key}, creating it (at 0) with {@code ttl} when
   * absent or expired, and returns the new value. The time-to-live is not extended by later additions.
   */
  Future<Long> addAndGet(String key, long delta, Duration ttl);
}
