// SPDX-License-Identifier: Apache-2.0
/**
 * Cluster-wide state for policies: {@link io.sluice.gateway.api.cluster.Counters counters}, a
 * {@link io.sluice.gateway.api.cluster.KeyValueStore key-value store} and a
 * {@link io.sluice.gateway.api.cluster.Cache cache}. In single-node mode the gateway keeps them in memory;
 * in a cluster they are shared by all nodes. Plugin code is the same either way, and every implementation
 * passes the same contract test ({@code io.sluice.gateway.testkit.ClusterServicesContract}).
 *
 * <p>The contract every implementation keeps:
 *
 * <ul>
 *   <li><b>Threads.</b> Every operation is asynchronous and never blocks the caller. Its future completes on
 *       the caller's Vert.x context: called from a policy, callbacks run on the exchange's event loop, as with
 *       Vert.x's own cluster-aware APIs. (Called from a thread without a context, callbacks run on a thread of
 *       the implementation's choosing.)
 *   <li><b>Failures.</b> A future fails when the cluster cannot answer (a partition, a member leaving, a
 *       timeout); policies that depend on it offer a {@code failOpen} setting. Programming errors (a value
 *       type outside the list below, a non-positive time-to-live) throw {@link java.lang.IllegalArgumentException}
 *       at once.
 *   <li><b>Values.</b> What a node stores, another node reads, without the plugin's classes: plugins have
 *       their own class loaders, are replaced at run time, and need not be installed on every node. So
 *       {@link io.sluice.gateway.api.cluster.KeyValueStore} values are limited to {@link java.lang.String},
 *       {@link java.lang.Boolean}, {@link java.lang.Integer}, {@link java.lang.Long},
 *       {@link java.lang.Double}, {@link io.vertx.core.buffer.Buffer}, and
 *       {@link io.vertx.core.json.JsonObject} / {@link io.vertx.core.json.JsonArray} holding only JSON
 *       values ({@link io.sluice.gateway.api.cluster.ClusterValues}). Values are copied on the way in and
 *       out: changing an object after {@code put}, or one returned by {@code get}, changes nothing stored.
 *   <li><b>Time.</b> Time-to-lives are at least 1 ms; a cluster implementation may round them up (to a
 *       second, say) but never expires an entry early. Counters and store entries are never evicted before
 *       their time-to-live; cache entries may be.
 *   <li><b>Names.</b> Each policy type sees its own key space: two plugins using the same key do not
 *       meet.
 * </ul>
 */
@NullMarked
package io.sluice.gateway.api.cluster;

import org.jspecify.annotations.NullMarked;
