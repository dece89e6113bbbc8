// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.ratelimit;

import io.sluice.gateway.api.Exchange;
import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.PolicyMeters;
import io.sluice.gateway.api.Rejection;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Admits a request when every limit admits it, and then counts it in every limit; refuses with 429
 * {@code RATE_LIMIT_EXCEEDED} (and {@code Retry-After}) otherwise, consuming nothing. The decision is
 * synchronous for local limits and for cluster limits whose lease has units, which is every request but the
 * few that find a lease empty while it is refilled.
 */
final class RateLimitPolicy implements Policy {

  static final String KEY = "RATE_LIMIT_EXCEEDED";
  static final String UNAVAILABLE_KEY = "RATE_LIMIT_UNAVAILABLE";
  static final String LIMIT_HEADER = "RateLimit-Limit";
  static final String REMAINING_HEADER = "RateLimit-Remaining";
  static final String RESET_HEADER = "RateLimit-Reset";

  private final Limit[] limits;
  private final LongSupplier clock;
  private final boolean addHeaders;
  private final PolicyMeters.Counter rejected;
  private final PolicyMeters.Counter unavailable;
  /**
   * Local scope: one decision per thread, reused, since a local decision is synchronous and never waits (its
   * values are read before the chain proceeds, so a policy further down the chain on this thread may reuse it).
   * Null in cluster scope, where a request may wait for a lease and so owns its decision. The reused decision
   * holds no reference to this policy and is {@link Decision#release released} after each request, so a thread's
   * map of thread locals keeps neither a replaced policy (a reload) nor its limits' keys alive.
   */
  private final @Nullable ThreadLocal<Decision> scratch;

  RateLimitPolicy(List<Limit> limits, LongSupplier clock, boolean addHeaders, boolean local) {
    this(limits, clock, addHeaders, local, PolicyMeters.NONE);
  }

  RateLimitPolicy(List<Limit> limits, LongSupplier clock, boolean addHeaders, boolean local, PolicyMeters meters) {
    this.rejected = meters.counter("rejected", "Requests refused with 429 RATE_LIMIT_EXCEEDED");
    this.unavailable = meters.counter("unavailable", "Requests refused with 503 RATE_LIMIT_UNAVAILABLE");
    this.limits = limits.toArray(new Limit[0]);
    this.clock = clock;
    this.addHeaders = addHeaders;
    int n = this.limits.length;
    this.scratch = local ? ThreadLocal.withInitial(() -> new Decision(null, null, null, n)) : null;
  }

  Limit limit(int i) {
    return limits[i];
  }

  @Override
  public Future<Void> apply(Exchange exchange, Chain chain) {
    ThreadLocal<Decision> local = scratch;
    Decision d = local != null ? local.get().reuse(exchange, chain) : new Decision(this, exchange, chain, limits.length);
    int outcome = decide(d);
    if (outcome == Slot.WAIT) {
      Promise<Void> p = Promise.promise();
      d.promise = p;
      return p.future();
    }
    return finish(d, outcome);
  }

  /** Runs a request that waited for a lease again, on its own event loop. */
  void resume(Decision d) {
    Context ctx = d.context;
    if (ctx == null || ctx == Vertx.currentContext()) {
      resumeHere(d);
    } else {
      ctx.runOnContext(v -> resumeHere(d));
    }
  }

  private void resumeHere(Decision d) {
    Promise<Void> p = d.promise;
    int outcome = decide(d);
    if (outcome == Slot.WAIT) {
      return; // queued again; the promise is still pending
    }
    if (p == null) {
      // The refill completed before apply() returned (a synchronous cluster answer): apply() finishes it.
      d.pendingOutcome = outcome;
      return;
    }
    try {
      finish(d, outcome).onComplete(p);
    } catch (RuntimeException e) {
      p.tryFail(e);
    }
  }

  /** Looks up the slots and decides; returns the outcome after any refill was issued. */
  private int decide(Decision d) {
    for (;;) {
      long now = clock.getAsLong();
      Slot[] slots = d.slots;
      for (int i = 0; i < limits.length; i++) {
        String key = limits[i].key(d.exchange);
        slots[i] = key == null ? null : limits[i].slot(key, now);
      }
      d.begin();
      d.pendingOutcome = -1;
      int outcome = decide(slots, 0, now, d);
      LeaseSlot refill = d.refill;
      d.refill = null;
      if (refill != null) {
        refill.refill();
      }
      if (outcome == Slot.WAIT && d.pendingOutcome >= 0) {
        // The refill answered at once and already ran this request again.
        return d.pendingOutcome;
      }
      if (outcome != Slot.GONE) {
        return outcome;
      }
    }
  }

  /**
   * Locks the slots in limit order (nested monitors: no deadlock), probes each, and commits all only when all
   * admit. A refusal, a wait or a swept slot stops the walk, and nothing is consumed; after a refusal the later
   * local slots are still probed, so that the client is told when the binding limit admits it again, not the
   * first refusing one (a second's limit refusing while the hour's is spent too: Retry-After is the hour's).
   */
  private static int decide(Slot[] slots, int i, long now, Decision d) {
    while (i < slots.length && slots[i] == null) {
      i++;
    }
    if (i == slots.length) {
      return Slot.ADMIT;
    }
    Slot s = slots[i];
    synchronized (s) {
      if (s.gone) {
        return Slot.GONE;
      }
      int r = s.probe(now, d);
      if (r == Slot.REFUSE) {
        probeLaterRefusals(slots, i + 1, now, d);
      }
      if (r != Slot.ADMIT) {
        return r;
      }
      int rest = decide(slots, i + 1, now, d);
      if (rest == Slot.ADMIT) {
        s.commit(now, d);
      }
      return rest;
    }
  }

  /**
   * Probes the slots from {@code i} on for their refusals' retry times only (a probe consumes nothing; an
   * admitting one reports nothing until committed). Cluster slots are left out: their probe may ask for a lease.
   */
  private static void probeLaterRefusals(Slot[] slots, int i, long now, Decision d) {
    for (int j = i; j < slots.length; j++) {
      Slot s = slots[j];
      if (s == null || s instanceof LeaseSlot) {
        continue;
      }
      synchronized (s) {
        if (!s.gone) {
          s.probe(now, d);
        }
      }
    }
  }

  private Future<Void> finish(Decision d, int outcome) {
    if (outcome == Slot.ADMIT) {
      // The writer takes the decision's values before proceeding: the decision may be reused meanwhile.
      Limit reported = d.reported;
      HeaderWriter writer = addHeaders && reported != null ? d.writer(reported) : null;
      Policy.Chain chain = d.chain;
      d.release();
      Future<Void> proceeded = chain.proceed();
      return writer != null ? proceeded.onComplete(writer) : proceeded;
    }
    Exchange exchange = d.exchange;
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (outcome == Slot.UNAVAILABLE) {
      d.release();
      headers.set("Retry-After", "1");
      unavailable.increment();
      return exchange.reject(new Rejection(503, UNAVAILABLE_KEY, "the rate limit cannot be checked right now", headers));
    }
    Limit by = d.refusedBy;
    headers.set("Retry-After", HeaderText.of(Math.max(1, Decision.seconds(d.retryMillis))));
    if (addHeaders) {
      d.headers(headers);
    }
    String message = by == null ? "rate limit exceeded" : "rate limit exceeded: " + by.description;
    d.release();
    rejected.increment();
    return exchange.reject(new Rejection(429, KEY, message, headers));
  }
}
