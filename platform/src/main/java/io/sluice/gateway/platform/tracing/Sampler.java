// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.tracing;

import org.jspecify.annotations.Nullable;

/**
 * Decides whether a trace is recorded: parent-based (the client's sampled flag, when it sent a valid
 * {@code traceparent} and {@code parentBased} is on), else by ratio on the trace id, as OpenTelemetry's
 * {@code TraceIdRatioBased}: the low 63 bits of the trace id against {@code ratio * 2^63}, so every node makes
 * the same decision for the same trace.
 */
final class Sampler {

  private final boolean parentBased;
  private final long threshold;
  private final boolean always;

  Sampler(double ratio, boolean parentBased) {
    this.parentBased = parentBased;
    this.always = ratio >= 1.0;
    this.threshold = (long) (ratio * Long.MAX_VALUE);
  }

  boolean sample(@Nullable TraceParent parent, long traceLo) {
    if (parent != null && parentBased) {
      return parent.sampled();
    }
    return always || (traceLo & Long.MAX_VALUE) < threshold;
  }
}
