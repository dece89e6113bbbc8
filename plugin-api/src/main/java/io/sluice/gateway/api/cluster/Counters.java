// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api.cluster;

import io.vertx.core.Future;
import java.time.Duration;

/**
 * Atomic counters with a time-to-live, e.g. for fixed-window rate limits. Thread-safe; futures complete on
 * the caller's context (see the {@linkplain io.sluice.gateway.api.cluster package contract}).
 *
 * <pre>{@code
 * return counters.addAndGet(consumer + ":" + window, 1, Duration.ofMinutes(1))
 *     .compose(n -> n > limit ? exchange.reject(Rejection.of(429, "RATE_LIMIT_EXCEEDED")) : chain.proceed());
 * }</pre>
 */
public interface Counters {

  /**
   * Atomically adds {@code delta} to the counter at {@code key}, creating it (at 0) with {@code ttl} when
   * absent or expired, and returns the new value. The time-to-live is not extended by later additions: a
   * counter created at t expires at t + ttl however often it is incremented.
   *
   * @param delta may be negative
   * @param ttl at least 1 ms
   * @return the counter's value after the addition; fails when the cluster cannot answer
   * @throws IllegalArgumentException when {@code ttl} is zero or negative
   */
  Future<Long> addAndGet(String key, long delta, Duration ttl);
}
