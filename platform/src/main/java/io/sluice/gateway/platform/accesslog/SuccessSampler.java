// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.accesslog;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Which successful exchanges get an access-log line ({@code accessLog.sampleSuccess}). The gateway's is
 * deterministic and exact: of every run of successes it keeps {@code ratio} of them, evenly spread (the n-th
 * success is kept when {@code floor(n * ratio)} steps up), so 0.25 keeps exactly one in four and a test can
 * count lines. Called on event loops: one atomic increment when sampling, nothing at 1.0 or 0.
 */
@FunctionalInterface
public interface SuccessSampler {

  /** Whether this successful exchange is logged. */
  boolean keep();

  /** Keeps {@code ratio} (0..1) of the successes. */
  static SuccessSampler ratio(double ratio) {
    if (ratio >= 1.0) {
      return () -> true;
    }
    if (ratio <= 0.0) {
      return () -> false;
    }
    AtomicLong seen = new AtomicLong();
    return () -> {
      long n = seen.incrementAndGet();
      return (long) (n * ratio) != (long) ((n - 1) * ratio);
    };
  }
}
