// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.ratelimit;

/** A node-local token bucket of {@code capacity} tokens, refilled continuously at {@code limit} per window. */
final class TokenBucketSlot extends Slot {

  private final Limit limit;
  private double tokens;
  private long last = Long.MIN_VALUE;

  TokenBucketSlot(Limit limit) {
    this.limit = limit;
    this.tokens = limit.capacity;
  }

  private void refill(long now) {
    if (last == Long.MIN_VALUE) {
      last = now;
    } else if (now > last) {
      tokens = Math.min(limit.capacity, tokens + (now - last) * limit.perMilli);
      last = now;
    }
  }

  @Override
  int probe(long now, Decision d) {
    refill(now);
    if (tokens >= 1 - 1e-9) {
      return ADMIT;
    }
    d.refuse(limit, (long) Math.ceil((1 - tokens) / limit.perMilli));
    return REFUSE;
  }

  @Override
  void commit(long now, Decision d) {
    tokens -= 1;
    d.report(limit, (long) Math.floor(tokens + 1e-9), (long) Math.ceil((limit.capacity - tokens) / limit.perMilli));
  }

  @Override
  boolean idle(long now) {
    return last != Long.MIN_VALUE && tokens + (now - last) * limit.perMilli >= limit.capacity;
  }
}
