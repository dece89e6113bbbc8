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

  /**
   * Atomically takes up to {@code wanted} units from the {@link Budget} at {@code key} and says how many it got:
   * {@code min(wanted, what the budget has left)}, never more, across every node. This is the primitive for
   * exact limits without a remote call per request: a node takes a batch (a lease), spends it locally, and
   * comes back for more; rate-limit and quota policies are built on it.
   *
   * <p>A negative {@code wanted} gives units back (an unused lease), never below an empty counter. A key must
   * always be used with the same budget; the first take creates the counter.
   *
   * <pre>{@code
   * counters.take("alice:" + windowStart, 50, Budget.window(1_000, Duration.ofMinutes(1)))
   *     .onSuccess(grant -> lease.add(grant.granted()));
   * }</pre>
   *
   * @return how many units were taken and how many remain; fails when the cluster cannot answer
   */
  Future<Grant> take(String key, long wanted, Budget budget);
}
