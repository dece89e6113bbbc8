// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.analytics;

/**
 * The usage one cell of a bucket holds: counts, bytes, and the latency histograms (from the request head to
 * the end, and the last upstream attempt's time to its response head). Mutable by {@link #add} only, under
 * the lock of the {@link UsageStore} that owns it.
 */
final class Usage {

  long requests;
  long errors;
  long clientErrors;
  long bytesIn;
  long bytesOut;
  CompactHistogram latency = CompactHistogram.EMPTY;
  CompactHistogram upstreamLatency = CompactHistogram.EMPTY;

  Usage() {}

  Usage(long requests, long errors, long clientErrors, long bytesIn, long bytesOut, CompactHistogram latency,
      CompactHistogram upstreamLatency) {
    this.requests = requests;
    this.errors = errors;
    this.clientErrors = clientErrors;
    this.bytesIn = bytesIn;
    this.bytesOut = bytesOut;
    this.latency = latency;
    this.upstreamLatency = upstreamLatency;
  }

  /** Adds {@code other}'s counts and histograms to this one's. */
  void add(Usage other) {
    requests += other.requests;
    errors += other.errors;
    clientErrors += other.clientErrors;
    bytesIn += other.bytesIn;
    bytesOut += other.bytesOut;
    latency = latency.plus(other.latency);
    upstreamLatency = upstreamLatency.plus(other.upstreamLatency);
  }

  Usage copy() {
    return new Usage(requests, errors, clientErrors, bytesIn, bytesOut, latency, upstreamLatency);
  }
}
