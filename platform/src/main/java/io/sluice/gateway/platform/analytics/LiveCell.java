// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.analytics;

/**
 * A cell of the minute an event loop is counting: plain fields and dense histograms, written under its
 * {@link Stripe}'s lock (uncontended but for the moment a drain takes it). Recording allocates nothing.
 */
final class LiveCell {

  final CellKey key;
  long requests;
  long errors;
  long clientErrors;
  long bytesIn;
  long bytesOut;
  final long[] latency = new long[LogBuckets.COUNT];
  final long[] upstreamLatency = new long[LogBuckets.COUNT];

  LiveCell(CellKey key) {
    this.key = key;
  }

  void record(long latencyNanos, long upstreamNanos, long in, long out) {
    requests++;
    if (key.isError()) {
      errors++;
    } else if (key.isClientError()) {
      clientErrors++;
    }
    bytesIn += Math.max(0, in);
    bytesOut += Math.max(0, out);
    latency[LogBuckets.index(latencyNanos)]++;
    if (upstreamNanos >= 0) {
      upstreamLatency[LogBuckets.index(upstreamNanos)]++;
    }
  }

  /** What this cell counted, compacted; then starts again from zero. */
  Usage drain() {
    Usage usage = new Usage(requests, errors, clientErrors, bytesIn, bytesOut, CompactHistogram.of(latency),
        CompactHistogram.of(upstreamLatency));
    requests = 0;
    errors = 0;
    clientErrors = 0;
    bytesIn = 0;
    bytesOut = 0;
    java.util.Arrays.fill(latency, 0);
    java.util.Arrays.fill(upstreamLatency, 0);
    return usage;
  }

  /** What this cell counted, compacted, left as it is (a cell of a finished minute, about to be dropped). */
  Usage snapshot() {
    return new Usage(requests, errors, clientErrors, bytesIn, bytesOut, CompactHistogram.of(latency),
        CompactHistogram.of(upstreamLatency));
  }
}
