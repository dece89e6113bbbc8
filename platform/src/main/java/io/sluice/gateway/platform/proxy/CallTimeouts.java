// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.proxy;

import io.sluice.gateway.platform.route.Route;

/**
 * The response-head timeouts of one upstream call: each attempt's ({@code timeouts.response}, from the moment
 * its request is sent) and the whole call's ({@code timeouts.total}, from the first attempt), kept as one
 * deadline — whichever ends first — that the exchange's deadline tick checks. Times are
 * {@code System.nanoTime()} values passed in by the caller.
 */
final class CallTimeouts {

  /** {@link #expired}: the awaited head is not late. */
  static final int NONE = 0;
  /** {@link #expired}: the attempt's own timeout passed. */
  static final int ATTEMPT = 1;
  /** {@link #expired}: {@code timeouts.total} passed. */
  static final int TOTAL = 2;

  private final long perAttemptNanos;
  private final long totalNanos;
  private long totalDeadline;
  private boolean awaiting;
  private long headDeadline;
  private long waitMillis;
  private boolean waitIsTotal;

  CallTimeouts(Route route) {
    this.perAttemptNanos = route.timeouts().response().toNanos();
    this.totalNanos = route.timeouts().total().toNanos();
  }

  /** The first attempt starts: {@code timeouts.total} runs from now. */
  void start(long now) {
    totalDeadline = now + totalNanos;
  }

  /** Milliseconds left of {@code timeouts.total} (at least 1). */
  long remainingMillis(long now) {
    return Math.max(1, (totalDeadline - now) / 1_000_000);
  }

  boolean withinTotal(long now) {
    return now - totalDeadline < 0;
  }

  /** An attempt's request is sent: its head must come within its own timeout and the total's rest. */
  void awaitHead(long now) {
    long remaining = totalDeadline - now;
    waitIsTotal = remaining <= perAttemptNanos;
    long wait = Math.min(perAttemptNanos, remaining);
    waitMillis = Math.max(1, wait / 1_000_000);
    headDeadline = now + wait;
    awaiting = true;
  }

  void stopAwaiting() {
    awaiting = false;
  }

  /**
   * Whether the awaited head is late at {@code now}: {@link #NONE}, {@link #ATTEMPT} or {@link #TOTAL}. A late
   * head is reported once (waiting stops).
   */
  int expired(long now) {
    if (!awaiting || now - headDeadline < 0) {
      return NONE;
    }
    awaiting = false;
    return waitIsTotal ? TOTAL : ATTEMPT;
  }

  /** How long the last awaited head was waited for, in milliseconds. */
  long waitedMillis() {
    return waitMillis;
  }
}
