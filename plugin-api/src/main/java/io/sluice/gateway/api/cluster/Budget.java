// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api.cluster;

import java.time.Duration;
import java.util.Objects;

/**
 * The allowance a {@link Counters#take} call draws on: how many units may be in use at once, and how they
 * come back. Two shapes cover fixed windows, sliding windows (a window whose limit the caller lowers by the
 * weighted previous window) and token buckets:
 *
 * <ul>
 *   <li>{@link #window(long, Duration)}: at most {@code limit} units are taken until the counter expires,
 *       {@code period} after the first take (units never come back before that, except by a negative take);
 *   <li>{@link #bucket(long, long, Duration)}: a token bucket of {@code limit} tokens, refilled continuously
 *       at {@code refill} tokens per {@code period}; the counter disappears once the bucket is full again.
 * </ul>
 *
 * <p>Time is the implementation's clock (in a cluster, the clock of the member that owns the key), so every
 * node drawing on a key sees the same refill.
 *
 * @param limit the most units in use at once: the window's allowance or the bucket's capacity; at least 1
 * @param refill the units a bucket gets back per {@code period}; 0 for a window
 * @param period the window's length (the counter's time-to-live), or the bucket's refill period; at least 1 ms
 */
public record Budget(long limit, long refill, Duration period) {

  public Budget {
    Objects.requireNonNull(period, "period");
    if (limit < 1) {
      throw new IllegalArgumentException("a budget's limit must be at least 1, was " + limit);
    }
    if (refill < 0) {
      throw new IllegalArgumentException("a budget's refill must not be negative, was " + refill);
    }
    if (period.toMillis() < 1) {
      throw new IllegalArgumentException("a budget's period must be at least 1 ms, was " + period);
    }
  }

  /** A fixed allowance of {@code limit} units, for {@code period} from the first take. */
  public static Budget window(long limit, Duration period) {
    return new Budget(limit, 0, period);
  }

  /** A token bucket holding {@code capacity} tokens, refilled at {@code refill} tokens per {@code period}. */
  public static Budget bucket(long capacity, long refill, Duration period) {
    if (refill < 1) {
      throw new IllegalArgumentException("a bucket's refill must be at least 1, was " + refill);
    }
    return new Budget(capacity, refill, period);
  }

  /** Whether this is a token bucket (units come back over time) rather than a window. */
  public boolean isBucket() {
    return refill > 0;
  }

  // ---- the arithmetic every implementation of Counters#take applies, here once so that all agree

  /**
   * For implementations: the units in use at {@code nowMillis} of a counter that had {@code used} in use at
   * {@code atMillis}. A window keeps its units; a bucket drains at its refill rate, never below 0.
   */
  public double usedAt(double used, long atMillis, long nowMillis) {
    if (!isBucket() || nowMillis <= atMillis) {
      return used;
    }
    double drained = (nowMillis - atMillis) * (double) refill / period.toMillis();
    return Math.max(0, used - drained);
  }

  /**
   * For implementations: what a take of {@code wanted} units gets when {@code used} are in use: up to what is
   * left (never negative), or, for a negative {@code wanted}, at most the units in use back.
   */
  public long grantable(long wanted, double used) {
    if (wanted >= 0) {
      return Math.min(wanted, left(used));
    }
    return -Math.min(-wanted, (long) Math.ceil(used));
  }

  /** For implementations: the whole units left when {@code used} are in use. */
  public long left(double used) {
    return Math.max(0, (long) Math.floor(limit - used + 1e-9));
  }

  /**
   * For implementations: how long a bucket with {@code used} units in use lives before it is full again and
   * can be dropped (at least 1 ms). A window lives {@link #period} from its first take instead.
   */
  public long bucketLifetimeMillis(double used) {
    return Math.max(1, (long) Math.ceil(used * period.toMillis() / refill));
  }
}
