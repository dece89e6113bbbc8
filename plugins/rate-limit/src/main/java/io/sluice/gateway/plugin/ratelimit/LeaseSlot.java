// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.ratelimit;

import io.sluice.gateway.api.cluster.Grant;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A cluster-scope limit for one key on this node: a lease of units taken from the cluster counter with
 * {@code Counters.take} (one call per batch), spent locally, refilled before it runs dry, and given back when
 * idle. The proof that the nodes together never admit more than the limit is in docs/rate-limiting.md; in
 * short, a request is admitted only by spending a unit of a lease, and the counter never grants more units
 * than the budget holds.
 *
 * <p>Windows are keyed by their start ({@code prefix + key + NUL + windowStart}), so "per window" is exact per
 * key; a lease belongs to one window and is dropped (sliding: given back) when the window ends. The batch is
 * sized to the node's recent demand over {@link #HORIZON_MILLIS}, to what it can spend before the window ends,
 * and to a quarter of what the cluster has left, so it shrinks to one unit per take as the budget runs out.
 * While a take is in flight, requests that find the lease empty wait in a bounded queue instead of issuing
 * takes of their own.
 */
final class LeaseSlot extends Slot {

  /**
   * A lease covers the node's recent demand over this long, or a hundredth of the window when that is longer
   * (capped at a minute): about 100 takes per window and node while the budget lasts, and at most about 1 % of
   * the window's budget stranded in the lease of a node whose demand stops.
   */
  static final long HORIZON_MILLIS = 250;
  /** A lease takes at most this share of what the cluster has left, so the other nodes keep theirs. */
  static final long SHARE = 4;
  /** Requests that may wait for one slot's refill; beyond it they are refused (429, Retry-After 1). */
  static final int MAX_WAITING = 1024;
  /** A lease unused this long goes back to the cluster. */
  static final long IDLE_MILLIS = 1_000;
  /**
   * A take unanswered this long is asked again, and once {@link ClusterLink#TIMEOUTS_BEFORE_DOWN} in a row
   * timed out, counts as a cluster failure: its waiters are then decided as {@code failOpen} says, instead of
   * waiting for the cluster's own invocation timeout (Hazelcast: two minutes). A late answer still adds its
   * units to the lease.
   */
  static final long TAKE_TIMEOUT_MILLIS = 1_000;

  private final Limit limit;
  private final String key;
  private final ClusterLink link;

  // Guarded by this.
  private long window = Long.MIN_VALUE;
  private long permits;
  /** What the cluster had left after the last take (plus what this node gave back since); -1 unknown. */
  private long remaining = -1;
  /** When exhausted: no take before this time. */
  private long retryAt = Long.MIN_VALUE;
  /** Sliding window: the cluster's count of the previous window, -1 until read. */
  private long previous = -1;
  private boolean refilling;
  private final ArrayDeque<Decision> waiting = new ArrayDeque<>();
  private long lastLease;
  private long lastUse;
  private long offered;
  private long offeredSince = Long.MIN_VALUE;
  /** Recent demand, in requests per millisecond (smoothed). */
  private double rate;
  private boolean idleCheckArmed;
  /** Requests woken by the last refill that its grant did not cover: the next take asks for them. */
  private long shortfall;
  /** Numbers the takes, so that a late answer to a timed-out take does not end a newer one. */
  private long takeSeq;

  LeaseSlot(Limit limit, String key, ClusterLink link) {
    this.limit = limit;
    this.key = key;
    this.link = link;
  }

  private boolean windowed() {
    return limit.algorithm != Algorithm.TOKEN_BUCKET;
  }

  private boolean sliding() {
    return limit.algorithm == Algorithm.SLIDING_WINDOW;
  }

  private String counterKey(long windowStart) {
    return windowed() ? limit.counterPrefix + key + "\u0000" + windowStart : limit.counterPrefix + key;
  }

  /** Moves the lease to the window holding {@code now}; an unused sliding lease goes back (it would count). */
  private void roll(long now) {
    if (!windowed()) {
      window = 0;
      return;
    }
    long start = limit.windowStart(now);
    if (start == window) {
      return;
    }
    if (sliding() && permits > 0 && window != Long.MIN_VALUE) {
      giveBack(window, permits);
    }
    permits = 0;
    remaining = -1;
    retryAt = Long.MIN_VALUE;
    previous = -1;
    window = start;
  }

  /** Fire and forget: a failed give-back leaves units counted, which can only make the limit stricter. */
  private void giveBack(long windowStart, long units) {
    link.counters.take(counterKey(windowStart), -units, limit.budget);
  }

  @Override
  int probe(long now, Decision d) {
    roll(now);
    lastUse = now;
    offered++;
    if (offeredSince == Long.MIN_VALUE) {
      offeredSince = now;
    }
    if (permits > 0) {
      return ADMIT;
    }
    if (link.unavailable(now)) {
      return link.failOpen ? ADMIT : UNAVAILABLE;
    }
    if (now < retryAt) {
      d.refuse(limit, clientRetryMillis(now));
      return REFUSE;
    }
    if (waiting.size() >= MAX_WAITING) {
      d.refuse(limit, 1_000);
      return REFUSE;
    }
    if (d.context == null) {
      d.context = Vertx.currentContext();
    }
    waiting.add(d);
    if (!refilling && d.askRefill(this)) {
      refilling = true;
    }
    return WAIT;
  }

  @Override
  void commit(long now, Decision d) {
    if (permits > 0) {
      permits--;
    }
    long left = remaining < 0 ? permits : remaining + permits;
    d.report(limit, left, resetMillis(now, left));
    if (!refilling && remaining != 0 && now >= retryAt && permits <= lastLease / 2 && !link.unavailable(now)
        && d.askRefill(this)) {
      refilling = true;
    }
  }

  private long resetMillis(long now, long left) {
    if (windowed()) {
      return limit.windowEnd(window) - now;
    }
    return (long) Math.ceil(Math.max(0, limit.capacity - left) / limit.perMilli);
  }

  /** What a refused client is told: when this limit admits again as far as this node can tell. */
  private long clientRetryMillis(long now) {
    return switch (limit.algorithm) {
      case FIXED_WINDOW -> limit.windowEnd(window) - now;
      case SLIDING_WINDOW -> Math.max(retryAt - now,
          SlidingWindowSlot.retryMillis(limit, window, Math.max(0, previous), limit.limit - Math.max(0, remaining), now));
      case TOKEN_BUCKET -> (long) Math.ceil(1 / limit.perMilli);
    };
  }

  /**
   * When an exhausted lease asks the cluster again: units may come back (another node's idle lease, a
   * sliding window's previous weight falling, a bucket refilling), so an exhausted node rechecks now and then
   * rather than per request.
   */
  private long recheckMillis(long now) {
    return switch (limit.algorithm) {
      case FIXED_WINDOW -> Math.min(limit.windowEnd(window) - now, Math.max(10, Math.min(5_000, limit.periodMillis / 20)));
      // The estimate's allowance grows as the previous window's weight falls: ask again when one more unit
      // fits, but not more often than every 1/200 of the window (at most 0.5 % of it goes unused that way).
      case SLIDING_WINDOW -> Math.min(window + limit.periodMillis - now,
          Math.max(Math.max(10, limit.periodMillis / 200),
              previous <= 0 ? 0 : SlidingWindowSlot.retryMillis(limit, window, previous, limit.limit - Math.max(0, remaining), now)));
      // Tokens accumulate in the cluster bucket while nobody asks, so asking every 50 ms (while that is under
      // half the burst's refill time) loses nothing and spares a take per token.
      case TOKEN_BUCKET -> Math.max((long) Math.ceil(1 / limit.perMilli),
          Math.min(50, (long) Math.floor(limit.capacity / 2.0 / limit.perMilli)));
    };
  }

  /** The units the weighted estimate allows in this window at {@code now}: {@code limit - previous * (1 - f)}. */
  private long allowedAt(long now) {
    if (previous <= 0) {
      return limit.limit;
    }
    double f = (now - window) / (double) limit.periodMillis;
    return (long) Math.floor(limit.limit - previous * (1 - f) + 1e-9);
  }

  /** How many units to ask for now: demand over the horizon, capped by time left and the cluster's share. */
  private long wanted(long now) {
    long elapsed = now - offeredSince;
    if (offeredSince != Long.MIN_VALUE && elapsed >= 10) {
      double measured = offered / (double) elapsed;
      rate = rate == 0 ? measured : (rate + measured) / 2;
      offered = 0;
      offeredSince = now;
    }
    long horizon = Math.max(HORIZON_MILLIS, Math.min(limit.periodMillis / 100, 60_000));
    long want = rate > 0 ? (long) Math.ceil(rate * horizon) : Math.max(1, lastLease * 2);
    if (windowed() && rate > 0) {
      want = Math.min(want, (long) Math.ceil(rate * (limit.windowEnd(window) - now)));
    }
    if (remaining >= 0) {
      want = Math.min(want, Math.max(1, remaining / SHARE));
    }
    if (sliding() && previous > 0 && remaining >= 0) {
      want = Math.min(want, Math.max(1, allowedAt(now) - (limit.limit - remaining)));
    }
    long demand = waiting.size() + shortfall;
    shortfall = 0;
    want = Math.max(want, Math.min(demand, remaining >= 0 ? Math.max(1, remaining / SHARE) : demand));
    want = Math.max(1, Math.min(want, limit.capacity));
    lastLease = want;
    return want;
  }

  /** Issues the take this slot's {@link Decision} asked for; called with no lock held. */
  void refill() {
    long now = link.clock.getAsLong();
    long forWindow;
    long want;
    boolean readPrevious;
    long seq;
    synchronized (this) {
      roll(now);
      forWindow = window;
      want = wanted(now);
      readPrevious = sliding() && previous < 0;
      seq = ++takeSeq;
    }
    long timer = link.later(TAKE_TIMEOUT_MILLIS, () -> timedOut(seq));
    String currentKey = counterKey(forWindow);
    Future<Grant> take;
    if (readPrevious) {
      // Once per window and node: the previous window's count, for the weighted estimate. Read after the window
      // ended, it can only be too high (leases still coming back), which makes the estimate stricter.
      take = link.counters.take(counterKey(forWindow - limit.periodMillis), 0, limit.budget).compose(g -> {
        synchronized (this) {
          if (window == forWindow) {
            previous = limit.limit - g.remaining();
          }
        }
        return link.counters.take(currentKey, want, limit.budget);
      });
    } else {
      take = link.counters.take(currentKey, want, limit.budget);
    }
    take.onComplete(ar -> {
      link.cancel(timer);
      completed(ar, forWindow, now, seq);
    });
  }

  /**
   * The take {@code seq} did not answer in time. One slow answer is no outage: the waiters keep waiting, for
   * a new take (nothing is admitted without a unit meanwhile). When the link is down by now (timeouts in a
   * row), they are decided without the cluster.
   */
  private void timedOut(long seq) {
    List<Decision> wake;
    synchronized (this) {
      if (!refilling || seq != takeSeq) {
        return;
      }
      takeSeq++;
      if (!link.timedOut(TAKE_TIMEOUT_MILLIS, link.clock.getAsLong())) {
        wake = null;
      } else {
        refilling = false;
        wake = new ArrayList<>(waiting);
        waiting.clear();
      }
    }
    if (wake == null) {
      refill();
      return;
    }
    for (Decision d : wake) {
      d.policy.resume(d);
    }
  }

  private void completed(AsyncResult<Grant> ar, long forWindow, long issuedAt, long seq) {
    List<Decision> wake;
    boolean armIdleCheck = false;
    boolean refillAgain = false;
    synchronized (this) {
      if (seq != takeSeq) {
        // The answer to a take that timed out: a window's or bucket's units join the lease (they are counted
        // at the cluster); a sliding window's go back, since the estimate was not applied to them.
        if (ar.succeeded() && ar.result().granted() > 0) {
          if (sliding()) {
            giveBack(forWindow, ar.result().granted());
          } else if (forWindow == window) {
            permits += ar.result().granted();
          }
        }
        if (ar.succeeded()) {
          link.succeeded(); // the cluster answers, late: no outage
        }
        if (permits > 0 && !idleCheckArmed) {
          idleCheckArmed = true;
          armIdleCheck = true;
        }
        if (permits == 0 || waiting.isEmpty()) {
          if (armIdleCheck) {
            link.later(IDLE_MILLIS, this::idleCheck);
          }
          return;
        }
        // Units for the requests that wait for the take asked again: they are decided now; those the units
        // do not cover wait again, for that take, still in flight.
        wake = new ArrayList<>(waiting);
        waiting.clear();
      } else {
        refilling = false;
        long now = link.clock.getAsLong();
        if (ar.failed()) {
          link.failed(ar.cause(), now);
        } else {
          link.succeeded();
          Grant g = ar.result();
          if (forWindow != window) {
            if (sliding() && g.granted() > 0) {
              giveBack(forWindow, g.granted());
            }
          } else {
            long kept = g.granted();
            long back = 0;
            if (sliding() && previous > 0) {
              // Keep only what the estimate allowed when the take was issued (earlier than it was applied, so
              // never more than it allowed then); the counter before this take is what it holds now minus it.
              long before = (limit.limit - g.remaining()) - g.granted();
              kept = Math.min(kept, Math.max(0, allowedAt(issuedAt) - before));
              back = g.granted() - kept;
            }
            if (back > 0) {
              giveBack(window, back);
            }
            permits += kept;
            remaining = g.remaining() + back;
            retryAt = kept == 0 ? now + recheckMillis(now) : Long.MIN_VALUE;
            if (permits > 0 && !idleCheckArmed) {
              idleCheckArmed = true;
              armIdleCheck = true;
            }
            if (kept > 0 && waiting.size() > permits) {
              // More requests waited than this grant covers: ask for the rest now, in one take, before they
              // are woken (those left over wait for it rather than each asking for a little).
              shortfall = waiting.size() - permits;
              refilling = true;
              refillAgain = true;
            }
          }
        }
        wake = new ArrayList<>(waiting);
        waiting.clear();
      }
    }
    if (armIdleCheck) {
      link.later(IDLE_MILLIS, this::idleCheck);
    }
    if (refillAgain) {
      refill();
    }
    for (Decision d : wake) {
      d.policy.resume(d);
    }
  }

  /** Gives an idle lease back, so that the nodes that still have demand can use it. */
  void idleCheck() {
    boolean again;
    synchronized (this) {
      idleCheckArmed = false;
      long now = link.clock.getAsLong();
      roll(now);
      if (permits > 0 && !refilling && now - lastUse >= IDLE_MILLIS) {
        giveBack(window, permits);
        remaining = remaining < 0 ? -1 : remaining + permits;
        permits = 0;
      }
      again = permits > 0;
      idleCheckArmed = again;
    }
    if (again) {
      link.later(IDLE_MILLIS, this::idleCheck);
    }
  }

  @Override
  boolean idle(long now) {
    return permits == 0 && !refilling && waiting.isEmpty() && now - lastUse >= Math.min(2 * limit.periodMillis, 600_000);
  }

  /** Units this node holds unspent (tests). */
  synchronized long leased() {
    return permits;
  }
}
