// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.ratelimit;

/**
 * A node-local sliding window, as the two-window weighted estimate of Cloudflare, Kong and nginx: a request
 * is admitted when {@code previous * (1 - elapsed / window) + current + 1 <= limit}, where {@code current}
 * counts this (epoch-aligned) window and {@code previous} the one before. Two counters per key instead of a
 * log of timestamps; the bound this gives is in docs/rate-limiting.md.
 */
final class SlidingWindowSlot extends Slot {

  private final Limit limit;
  private long windowStart = Long.MIN_VALUE;
  private long current;
  private long previous;

  SlidingWindowSlot(Limit limit) {
    this.limit = limit;
  }

  private void roll(long now) {
    long start = limit.windowStart(now);
    if (start != windowStart) {
      previous = start == windowStart + limit.periodMillis ? current : 0;
      current = 0;
      windowStart = start;
    }
  }

  private double estimate(long now) {
    long p = limit.periodMillis;
    return previous * (double) (p - (now - windowStart)) / p + current;
  }

  @Override
  int probe(long now, Decision d) {
    roll(now);
    if (estimate(now) + 1 <= limit.limit + 1e-9) {
      return ADMIT;
    }
    d.refuse(limit, retryMillis(limit, windowStart, previous, current, now));
    return REFUSE;
  }

  /**
   * When the estimate next leaves room for one more: later in this window, as the previous window's weight
   * falls, or in the next one, where this window becomes the previous.
   */
  static long retryMillis(Limit limit, long windowStart, long previous, long current, long now) {
    long p = limit.periodMillis;
    long at;
    if (current + 1 <= limit.limit && previous > 0) {
      double f = 1 - (limit.limit - current - 1) / (double) previous;
      at = windowStart + (long) Math.ceil(p * f);
    } else {
      double f = current > 0 ? Math.max(0, 1 - (limit.limit - 1) / (double) current) : 0;
      at = windowStart + p + (long) Math.ceil(p * f);
    }
    return Math.max(1, at - now);
  }

  @Override
  void commit(long now, Decision d) {
    current++;
    long left = (long) Math.floor(limit.limit - estimate(now) + 1e-9);
    d.report(limit, Math.max(0, left), windowStart + limit.periodMillis - now);
  }

  @Override
  boolean idle(long now) {
    return now - windowStart >= 2 * limit.periodMillis;
  }
}
