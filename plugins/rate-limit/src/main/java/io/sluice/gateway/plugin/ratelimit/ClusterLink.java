// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.ratelimit;

import io.sluice.gateway.api.cluster.Counters;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the cluster-scope slots of one policy share: the counters, the clock, the timer for idle leases, and
 * whether the cluster answers. An outage is logged once at WARN when the first take fails and once when one
 * succeeds again, never per request; while it lasts (and for a second after each failed take) slots do not
 * call the cluster, and admit ({@code failOpen}) or refuse with 503. A failed take is an outage at once; a
 * take that only answers late (a GC pause on the key's owner, a partition migration) is one only when
 * {@link #TIMEOUTS_BEFORE_DOWN} takes in a row timed out with no answer in between.
 */
final class ClusterLink {

  private static final Logger log = LoggerFactory.getLogger(ClusterLink.class);

  /** After a failed take, how long slots decide without the cluster before they try it again. */
  static final long RETRY_AFTER_FAILURE_MILLIS = 1_000;

  /** Takes in a row that must time out (no take of this link answered in between) before the link is down. */
  static final int TIMEOUTS_BEFORE_DOWN = 2;

  final Counters counters;
  final LongSupplier clock;
  final boolean failOpen;
  final String routeId;
  private final Vertx vertx;
  private final AtomicBoolean down = new AtomicBoolean();
  private volatile long downUntil = Long.MIN_VALUE;
  private final AtomicInteger timeouts = new AtomicInteger();

  ClusterLink(Counters counters, Vertx vertx, LongSupplier clock, boolean failOpen, String routeId) {
    this.counters = counters;
    this.vertx = vertx;
    this.clock = clock;
    this.failOpen = failOpen;
    this.routeId = routeId;
  }

  /** Whether slots should decide without the cluster at {@code now}. */
  boolean unavailable(long now) {
    return now < downUntil;
  }

  void failed(Throwable cause, long now) {
    downUntil = now + RETRY_AFTER_FAILURE_MILLIS;
    if (down.compareAndSet(false, true)) {
      log.warn("rate-limit on route '{}': the cluster counters cannot be reached ({}); {} until they answer again",
          routeId, cause.toString(), failOpen ? "admitting requests without cluster limits (failOpen)" : "refusing requests with 503 (failOpen: false)");
    }
  }

  /** A take did not answer in time; true when that makes the link down (the last of a run of timeouts). */
  boolean timedOut(long timeoutMillis, long now) {
    if (timeouts.incrementAndGet() < TIMEOUTS_BEFORE_DOWN) {
      return false;
    }
    failed(new java.util.concurrent.TimeoutException(TIMEOUTS_BEFORE_DOWN + " takes in a row unanswered within "
        + timeoutMillis + " ms"), now);
    return true;
  }

  void succeeded() {
    timeouts.set(0);
    if (down.get() && down.compareAndSet(true, false)) {
      downUntil = Long.MIN_VALUE;
      log.warn("rate-limit on route '{}': the cluster counters answer again; cluster limits are enforced", routeId);
    }
  }

  boolean down() {
    return down.get();
  }

  /** Runs {@code task} after {@code delayMillis} on the calling context (idle leases, take timeouts). */
  long later(long delayMillis, Runnable task) {
    return vertx.setTimer(Math.max(1, delayMillis), id -> task.run());
  }

  void cancel(long timer) {
    vertx.cancelTimer(timer);
  }
}
