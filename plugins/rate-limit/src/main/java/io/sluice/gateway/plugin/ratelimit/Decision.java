// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.ratelimit;

import io.sluice.gateway.api.Exchange;
import io.sluice.gateway.api.Policy;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * One request's passage through the policy: its slots, what the limits reported, and, when it has to wait for a
 * cluster lease, its place in the slot's queue. A local policy decides synchronously and reuses one of these
 * per thread ({@link #reuse}); a cluster policy allocates one per request, since a request may wait.
 */
final class Decision {

  /** The policy, to resume a waiting request; null in a local policy's reused decision (it never waits). */
  final RateLimitPolicy policy;
  /** The request and its chain; cleared once decided, so a reused decision keeps no request alive. */
  Exchange exchange;
  Policy.Chain chain;
  final Slot[] slots;

  /** The most restrictive limit seen: the fewest units left, then the longest time to reset. */
  @Nullable Limit reported;
  long remaining;
  long resetMillis;
  /** The refusing limit and how long until it admits again. */
  @Nullable Limit refusedBy;
  long retryMillis;
  /** A cluster lease this request found low and is to refill once the locks are released. */
  @Nullable LeaseSlot refill;
  /** Where the request waits for a lease: its context and the future {@code apply} returned. */
  @Nullable Context context;
  @Nullable Promise<Void> promise;
  /** The outcome of a run that a synchronous refill answer triggered inside {@code apply}, or -1. */
  int pendingOutcome = -1;

  Decision(RateLimitPolicy policy, Exchange exchange, Policy.Chain chain, int limits) {
    this.policy = policy;
    this.exchange = exchange;
    this.chain = chain;
    this.slots = new Slot[limits];
  }

  /** Prepares a per-thread decision for another request (local policies only: it never waits). */
  Decision reuse(Exchange exchange, Policy.Chain chain) {
    this.exchange = exchange;
    this.chain = chain;
    return this;
  }

  /** Drops this decision's references once decided, so a reused one keeps no request, slot or limit alive. */
  void release() {
    exchange = null;
    chain = null;
    reported = null;
    refusedBy = null;
    Arrays.fill(slots, null);
  }

  void begin() {
    reported = null;
    remaining = Long.MAX_VALUE;
    resetMillis = 0;
    refusedBy = null;
    retryMillis = 0;
  }

  /** A limit's state after this request: reported when it is the most restrictive so far. */
  void report(Limit limit, long left, long resetIn) {
    if (reported == null || left < remaining || (left == remaining && resetIn > resetMillis)) {
      reported = limit;
      remaining = left;
      resetMillis = resetIn;
    }
  }

  /** A limit refuses: reported when it is the one that admits again last (the binding one) so far. */
  void refuse(Limit limit, long retryIn) {
    if (refusedBy != null && retryIn <= retryMillis) {
      return;
    }
    refusedBy = limit;
    retryMillis = retryIn;
    reported = limit;
    remaining = 0;
    resetMillis = retryIn;
  }

  /** Asks for a refill of {@code slot} after the locks; false when another slot already asked (it waits its turn). */
  boolean askRefill(LeaseSlot slot) {
    if (refill != null) {
      return false;
    }
    refill = slot;
    return true;
  }

  /** Writes the most restrictive limit's headers. */
  void headers(MultiMap headers) {
    Limit r = reported;
    if (r == null) {
      return;
    }
    HeaderWriter.write(headers, r, remaining, seconds(resetMillis));
  }

  /** The listener that writes the most restrictive limit's headers once the upstream answered. */
  HeaderWriter writer(Limit r) {
    return new HeaderWriter(exchange, r, remaining, seconds(resetMillis));
  }

  /** Delta seconds, rounded up so that a client waiting that long finds room. */
  static long seconds(long millis) {
    return Math.max(0, (millis + 999) / 1000);
  }
}
