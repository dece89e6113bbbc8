// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.upstream;

import io.vertx.core.json.JsonObject;

/**
 * Caps retries to a share of an upstream's traffic over a sliding 10-second window (Finagle's and
 * Linkerd's retry budget): a retry is allowed while the window's retries are fewer than
 * {@code percent}% of its requests plus {@code minPerSecond} × 10. During a full outage every request fails,
 * yet retries add at most that share of load instead of multiplying it by the attempt count.
 *
 * <p>Thread-safe: ten one-second buckets behind a lock held for a few array operations.
 */
final class RetryBudget {

  private static final int SECONDS = 10;

  private final int percent;
  private final int minPerSecond;
  private final long[] second = new long[SECONDS];
  private final int[] requests = new int[SECONDS];
  private final int[] retries = new int[SECONDS];
  private long refused;

  RetryBudget(int percent, int minPerSecond) {
    this.percent = percent;
    this.minPerSecond = minPerSecond;
  }

  /** Counts a request (its first attempt). */
  synchronized void request(long now) {
    requests[slot(now)]++;
  }

  /** Takes one retry from the budget, or returns false when it is spent. */
  synchronized boolean tryRetry(long now) {
    int slot = slot(now);
    long[] window = window(now);
    if (window[1] * 100 < (long) minPerSecond * SECONDS * 100 + window[0] * percent) {
      retries[slot]++;
      return true;
    }
    refused++;
    return false;
  }

  /** The requests and retries of the last {@value #SECONDS} seconds. */
  private long[] window(long now) {
    long current = Math.floorDiv(now, 1_000_000_000L);
    long[] sums = new long[2];
    for (int i = 0; i < SECONDS; i++) {
      if (current - second[i] < SECONDS) {
        sums[0] += requests[i];
        sums[1] += retries[i];
      }
    }
    return sums;
  }

  private int slot(long now) {
    long s = Math.floorDiv(now, 1_000_000_000L);
    int slot = (int) Math.floorMod(s, SECONDS);
    if (second[slot] != s) {
      second[slot] = s;
      requests[slot] = 0;
      retries[slot] = 0;
    }
    return slot;
  }

  synchronized JsonObject describe(long now) {
    slot(now);
    long[] window = window(now);
    return new JsonObject()
        .put("percent", percent)
        .put("minPerSecond", minPerSecond)
        .put("requestsLast10s", window[0])
        .put("retriesLast10s", window[1])
        .put("retriesRefused", refused);
  }
}
