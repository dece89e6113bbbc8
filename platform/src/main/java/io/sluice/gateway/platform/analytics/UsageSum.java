// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.analytics;

import io.vertx.core.json.JsonObject;
import org.jspecify.annotations.Nullable;

/**
 * Usage added up for a query's answer (its totals, one bucket of its series, one group): counts and dense
 * histograms that every matching cell of every node adds into, so the percentiles are those of all the
 * exchanges together.
 */
final class UsageSum {

  long requests;
  long errors;
  long clientErrors;
  long bytesIn;
  long bytesOut;
  private long @Nullable [] latency;
  private long @Nullable [] upstreamLatency;

  void add(Usage u) {
    requests += u.requests;
    errors += u.errors;
    clientErrors += u.clientErrors;
    bytesIn += u.bytesIn;
    bytesOut += u.bytesOut;
    if (u.latency.total() > 0) {
      if (latency == null) {
        latency = new long[LogBuckets.COUNT];
      }
      u.latency.addTo(latency);
    }
    if (u.upstreamLatency.total() > 0) {
      if (upstreamLatency == null) {
        upstreamLatency = new long[LogBuckets.COUNT];
      }
      u.upstreamLatency.addTo(upstreamLatency);
    }
  }

  /** {@code p50}, {@code p95}, {@code p99} of the latency in milliseconds; null values when nothing was counted. */
  JsonObject latencyMs() {
    return percentiles(latency);
  }

  /** The same for the upstream latency (null values when no exchange reached an upstream). */
  JsonObject upstreamLatencyMs() {
    return percentiles(upstreamLatency);
  }

  static JsonObject percentiles(long @Nullable [] counts) {
    return new JsonObject()
        .put("p50", percentile(counts, 0.50))
        .put("p95", percentile(counts, 0.95))
        .put("p99", percentile(counts, 0.99));
  }

  /**
   * The value below which a share {@code q} of the counted values lie: the middle of the bucket holding the
   * value of rank ceil(q × n), in milliseconds rounded to a microsecond; null when nothing was counted.
   */
  static @Nullable Double percentile(long @Nullable [] counts, double q) {
    if (counts == null) {
      return null;
    }
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    if (total == 0) {
      return null;
    }
    long rank = Math.max(1, (long) Math.ceil(q * total));
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.round(LogBuckets.middleMillis(i) * 1000.0) / 1000.0;
      }
    }
    return Math.round(LogBuckets.middleMillis(counts.length - 1) * 1000.0) / 1000.0;
  }
}
