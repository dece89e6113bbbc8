// SPDX-License-Identifier: Apache-2.0
/**
 * Usage analytics ({@code GET /admin/analytics}, docs/observability.md "Analytics"): every finished exchange
 * is counted, on its event loop and without a lock shared between loops, into a cell of the current minute
 * keyed by route, consumer, upstream and status class ({@link io.sluice.gateway.platform.analytics.UsageRecorder});
 * every few seconds a worker drains those cells into minute, hour and day buckets
 * ({@link io.sluice.gateway.platform.analytics.UsageStore}) whose latencies are mergeable log-bucket histograms
 * ({@link io.sluice.gateway.platform.analytics.LogBuckets}), and, in a cluster, publishes the buckets that
 * changed for the other nodes, so that a query merges every node's histograms (never averages percentiles).
 */
@NullMarked
package io.sluice.gateway.platform.analytics;

import org.jspecify.annotations.NullMarked;
