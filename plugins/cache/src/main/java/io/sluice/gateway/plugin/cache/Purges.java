// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.cache;

import io.sluice.gateway.api.cluster.ClusterServices;
import io.sluice.gateway.api.cluster.Counters;
import io.sluice.gateway.api.cluster.KeyValueStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The purge rules of the cache on this node (prefix, tag, and URL purges, which cannot delete what they match:
 * the cluster store has no scan). A purge takes the next number of a cluster-wide counter, writes the rule
 * under it in the cluster store and applies it here at once; every node polls the counter every {@link
 * #POLL_MILLIS} and reads the rules it has not seen, so a purge reaches the whole cluster within about a
 * second. Entries are matched on the hit path against the local list only (a volatile read when it is empty):
 * no remote call per request.
 *
 * <p>Rules live {@code purge.ruleRetention} (the longest of the routes', {@link #retain}); an entry is never kept
 * in the store longer after its upstream request began, so no purged entry can outlive its rule.
 */
final class Purges {

  private static final Logger log = LoggerFactory.getLogger(Purges.class);

  /** How long a rule applies by default ({@code purge.ruleRetention}). */
  static final Duration DEFAULT_RETENTION = Duration.ofDays(1);
  static final long POLL_MILLIS = 1_000;
  /** A node that starts reads at most this many of the newest rules (older ones have usually expired). */
  private static final int CATCH_UP = 1_000;
  /** A rule number whose rule is still missing after this long is given up (its writer failed). */
  private static final long GAP_MILLIS = 10_000;
  private static final String SEQ = "purge-seq";
  /** The sequence lives far longer than any rule, so that its numbers never restart under a running node. */
  private static final Duration SEQ_TTL = Duration.ofDays(3650);

  /** Every live instance in this class loader, stopped with the plugin ({@link CachePlugin}). */
  private static final Set<Purges> LIVE = ConcurrentHashMap.newKeySet();

  private final Counters counters;
  private final KeyValueStore<JsonObject> store;
  private final Vertx vertx;
  private final LongSupplier clock;
  private volatile List<PurgeRule> rules = List.of();
  private volatile long retentionMillis;
  private long seen = -1;
  private long gapSince;
  private boolean polling;
  private long timer = -1;

  Purges(ClusterServices cluster, Vertx vertx, LongSupplier clock) {
    this(cluster, vertx, clock, DEFAULT_RETENTION);
  }

  /** @param retention how long rules are kept, until a route asks for longer ({@link #retain}) */
  Purges(ClusterServices cluster, Vertx vertx, LongSupplier clock, Duration retention) {
    this.retentionMillis = retention.toMillis();
    this.counters = cluster.counters();
    this.store = cluster.store("purges", JsonObject.class);
    this.vertx = vertx;
    this.clock = clock;
  }

  /** Starts polling (and reads the rules other nodes made before this one started). */
  Purges start() {
    LIVE.add(this);
    timer = vertx.setPeriodic(1, POLL_MILLIS, t -> poll());
    return this;
  }

  void stop() {
    LIVE.remove(this);
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  static void stopAll() {
    for (Purges p : List.copyOf(LIVE)) {
      p.stop();
    }
  }

  /**
   * Keeps rules at least {@code retention} (a route's {@code purge.ruleRetention}): rules must outlive the entries
   * of every route they can match, so the longest asked for wins.
   */
  synchronized void retain(Duration retention) {
    retentionMillis = Math.max(retentionMillis, retention.toMillis());
  }

  /** How long rules are kept now. */
  Duration retention() {
    return Duration.ofMillis(retentionMillis);
  }

  /** The rules in force here; for the admin API. */
  List<PurgeRule> rules() {
    return rules;
  }

  /** The first rule that marks {@code e} (of {@code routeId}) as purged, or null. The hit path calls it. */
  @Nullable PurgeRule purged(String routeId, StoredResponse e) {
    List<PurgeRule> current = rules;
    for (int i = 0; i < current.size(); i++) {
      PurgeRule r = current.get(i);
      if (r.matches(routeId, e)) {
        return r;
      }
    }
    return null;
  }

  /** Records a rule cluster-wide and applies it on this node; fails when the cluster cannot answer. */
  Future<PurgeRule> add(String route, PurgeRule.Kind kind, String value) {
    long time = clock.getAsLong();
    return counters.addAndGet(SEQ, 1, SEQ_TTL).compose(seq -> {
      PurgeRule rule = new PurgeRule(seq, route, kind, value, time);
      return store.put(key(seq), rule.toJson(), retention()).map(v -> {
        apply(List.of(rule));
        return rule;
      });
    });
  }

  private static String key(long seq) {
    return "rule:" + seq;
  }

  private synchronized void apply(List<PurgeRule> added) {
    long expired = clock.getAsLong() - retentionMillis;
    List<PurgeRule> next = new ArrayList<>(rules.size() + added.size());
    for (PurgeRule r : rules) {
      if (r.time() > expired) {
        next.add(r);
      }
    }
    for (PurgeRule r : added) {
      if (r.time() > expired && next.stream().noneMatch(o -> o.seq() == r.seq())) {
        next.add(r);
      }
    }
    rules = List.copyOf(next);
  }

  /** Reads the rules numbered after the last one seen, in order; stops at a gap (a rule still being written). */
  Future<Void> poll() {
    synchronized (this) {
      if (polling) {
        return Future.succeededFuture();
      }
      polling = true;
    }
    return counters.addAndGet(SEQ, 0, SEQ_TTL)
        .compose(top -> {
          long from;
          boolean first;
          synchronized (this) {
            first = seen < 0;
            from = first ? Math.max(0, top - CATCH_UP) : seen;
          }
          return fetch(from, top, first);
        })
        .onComplete(ar -> {
          synchronized (this) {
            polling = false;
          }
          if (ar.failed()) {
            log.debug("cache purge rules not refreshed: {}", ar.cause().toString());
          }
        });
  }

  private Future<Void> fetch(long from, long top, boolean catchingUp) {
    if (from >= top) {
      synchronized (this) {
        seen = Math.max(seen, top);
      }
      apply(List.of());
      return Future.succeededFuture();
    }
    long seq = from + 1;
    return store.get(key(seq)).compose(json -> {
      PurgeRule rule = PurgeRule.fromJson(seq, json);
      if (json == null && !catchingUp) {
        long now = clock.getAsLong();
        synchronized (this) {
          if (gapSince == 0) {
            gapSince = now;
          }
          if (now - gapSince < GAP_MILLIS) {
            return Future.succeededFuture(); // written any moment now: read it on the next poll
          }
        }
      }
      synchronized (this) {
        gapSince = 0;
        seen = seq;
      }
      if (rule != null) {
        apply(List.of(rule));
      }
      return fetch(seq, top, catchingUp);
    });
  }
}
