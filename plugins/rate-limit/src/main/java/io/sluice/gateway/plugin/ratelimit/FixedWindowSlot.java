// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.ratelimit;

/** A node-local fixed window: at most {@code limit} admitted per window, windows aligned to the epoch. */
final class FixedWindowSlot extends Slot {

  private final Limit limit;
  private long windowStart = Long.MIN_VALUE;
  private long count;

  FixedWindowSlot(Limit limit) {
    this.limit = limit;
  }

  @Override
  int probe(long now, Decision d) {
    long start = limit.windowStart(now);
    if (start != windowStart) {
      windowStart = start;
      count = 0;
    }
    if (count < limit.limit) {
      return ADMIT;
    }
    d.refuse(limit, limit.windowEnd(start) - now);
    return REFUSE;
  }

  @Override
  void commit(long now, Decision d) {
    count++;
    d.report(limit, limit.limit - count, limit.windowEnd(windowStart) - now);
  }

  @Override
  boolean idle(long now) {
    return windowStart != Long.MIN_VALUE && now >= limit.windowEnd(windowStart);
  }
}
