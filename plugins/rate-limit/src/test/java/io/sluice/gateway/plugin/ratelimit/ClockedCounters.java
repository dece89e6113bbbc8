// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.ratelimit;

import io.sluice.gateway.api.cluster.Budget;
import io.sluice.gateway.api.cluster.Counters;
import io.sluice.gateway.api.cluster.Grant;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * {@link Counters#take} as the in-memory backends implement it (the same {@link Budget} arithmetic, atomic per
 * key), but on the test's clock, so token buckets refill in test time; it also counts the takes, and can be
 * made to fail like an unreachable cluster.
 */
final class ClockedCounters implements Counters {

  private record Allowance(double used, long atMillis, long expiresAtMillis) {}

  private final ConcurrentHashMap<String, Allowance> budgets = new ConcurrentHashMap<>();
  private final LongSupplier clock;
  final AtomicInteger takes = new AtomicInteger();
  final AtomicLong granted = new AtomicLong();
  volatile boolean failing;

  ClockedCounters(LongSupplier clock) {
    this.clock = clock;
  }

  @Override
  public Future<Long> addAndGet(String key, long delta, Duration ttl) {
    throw new UnsupportedOperationException("rate-limit uses take");
  }

  @Override
  public Future<Grant> take(String key, long wanted, Budget budget) {
    takes.incrementAndGet();
    if (failing) {
      return Future.failedFuture(new IllegalStateException("cluster unreachable (test)"));
    }
    long now = clock.getAsLong();
    long[] g = {0};
    Allowance after = budgets.compute(key, (k, a) -> {
      boolean fresh = a == null || now >= a.expiresAtMillis();
      double used = fresh ? 0 : budget.usedAt(a.used(), a.atMillis(), now);
      g[0] = budget.grantable(wanted, used);
      double next = used + g[0];
      long expires = budget.isBucket() ? now + budget.bucketLifetimeMillis(next)
          : fresh ? now + budget.period().toMillis() : a.expiresAtMillis();
      return new Allowance(next, now, expires);
    });
    granted.addAndGet(g[0]);
    return Future.succeededFuture(new Grant(g[0], budget.left(after.used())));
  }
}
