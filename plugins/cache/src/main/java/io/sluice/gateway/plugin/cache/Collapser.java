// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.cache;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Request collapsing on one node: the first miss for a key goes upstream (the leader) and later misses for the
 * same key wait for what it stores, for a bounded time. Shared by the event loops of a route's policy, so the
 * map is concurrent; each waiter is resumed on its own context.
 */
final class Collapser {

  private final ConcurrentHashMap<String, Promise<@Nullable StoredResponse>> inflight = new ConcurrentHashMap<>();

  /**
   * Joins the request for {@code key}: null when the caller is now the leader (it must call {@link #done} once,
   * whatever happens), else the leader's outcome.
   */
  @Nullable Future<@Nullable StoredResponse> join(String key, Promise<@Nullable StoredResponse> mine) {
    Promise<@Nullable StoredResponse> leader = inflight.putIfAbsent(key, mine);
    return leader == null ? null : leader.future();
  }

  /** Whether a request for {@code key} is upstream right now (stale-while-revalidate serves stale meanwhile). */
  boolean inFlight(String key) {
    return inflight.containsKey(key);
  }

  /** The leader is done: with what it stored, or null when nothing usable was stored. */
  void done(String key, @Nullable Promise<@Nullable StoredResponse> leader, @Nullable StoredResponse stored) {
    if (leader != null) {
      inflight.remove(key, leader);
      leader.tryComplete(stored);
    }
  }

  /**
   * Waits for the leader's outcome on the caller's context, at most {@code millis}; completes with null when the
   * wait ran out or the leader stored nothing.
   */
  static Future<@Nullable StoredResponse> await(Future<@Nullable StoredResponse> leader, Vertx vertx, long millis) {
    Context ctx = vertx.getOrCreateContext();
    Promise<@Nullable StoredResponse> p = Promise.promise();
    long timer = vertx.setTimer(millis, t -> p.tryComplete(null));
    leader.onComplete(ar -> ctx.runOnContext(v -> {
      vertx.cancelTimer(timer);
      p.tryComplete(ar.succeeded() ? ar.result() : null);
    }));
    return p.future();
  }
}
