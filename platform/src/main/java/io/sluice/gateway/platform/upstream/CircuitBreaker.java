// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.upstream;

import io.sluice.gateway.platform.config.CircuitBreakerConfig;

/**
 * A failure-rate circuit breaker for one target. Closed: outcomes go into a ring of the last
 * {@code window} requests; at {@code minimumRequests} or more with {@code failureRatePercent} failed, it
 * opens. Open: no requests until {@code openFor} has passed, then half-open. Half-open: {@code trialRequests}
 * requests are let through; all succeeding closes it, any failing opens it again.
 *
 * <p>Thread-safe; every method is a short synchronized section. Times are {@link System#nanoTime()} values
 * passed in, so tests drive the clock.
 */
final class CircuitBreaker {

  /** The breaker's state. */
  public enum State {
    CLOSED,
    OPEN,
    HALF_OPEN
  }

  /** {@link #acquire} result: the request may go, and its outcome counts in the closed window. */
  public static final int NORMAL = 0;
  /** {@link #acquire} result: the request is one of the half-open trials. */
  public static final int TRIAL = 1;
  /** {@link #acquire} result: the breaker does not let the request through. */
  public static final int DENIED = -1;

  private final CircuitBreakerConfig config;
  private final long openForNanos;
  private final boolean[] window;
  private int position;
  private int recorded;
  private int failures;
  private State state = State.CLOSED;
  private long openedAt;
  private int trialsLeft;
  private int trialSuccesses;

  public CircuitBreaker(CircuitBreakerConfig config) {
    this.config = config;
    this.openForNanos = config.openFor().toNanos();
    this.window = new boolean[config.window()];
  }

  public CircuitBreakerConfig config() {
    return config;
  }

  /** The state at {@code now} (an open breaker whose time is up reads as half-open). */
  public synchronized State state(long now) {
    advance(now);
    return state;
  }

  /** Whether a request could be let through at {@code now}. */
  public synchronized boolean allows(long now) {
    advance(now);
    return state == State.CLOSED || (state == State.HALF_OPEN && trialsLeft > 0);
  }

  /** Takes a place for one request: {@link #NORMAL}, {@link #TRIAL} or {@link #DENIED}. */
  public synchronized int acquire(long now) {
    advance(now);
    switch (state) {
      case CLOSED:
        return NORMAL;
      case HALF_OPEN:
        if (trialsLeft > 0) {
          trialsLeft--;
          return TRIAL;
        }
        return DENIED;
      default:
        return DENIED;
    }
  }

  /**
   * Records the outcome of a request that {@link #acquire} let through as {@code permit}. A cancelled trial
   * gives its place back.
   */
  public synchronized void record(int permit, Outcome outcome, long now) {
    advance(now);
    if (permit == TRIAL) {
      if (state != State.HALF_OPEN) {
        return;
      }
      if (outcome == Outcome.CANCELLED) {
        trialsLeft++;
      } else if (outcome.failure()) {
        open(now);
      } else if (++trialSuccesses >= config.trialRequests()) {
        close();
      }
      return;
    }
    if (state != State.CLOSED || outcome == Outcome.CANCELLED) {
      return;
    }
    boolean failed = outcome.failure();
    if (recorded == window.length) {
      if (window[position]) {
        failures--;
      }
    } else {
      recorded++;
    }
    window[position] = failed;
    if (failed) {
      failures++;
    }
    position = (position + 1) % window.length;
    if (recorded >= config.minimumRequests() && failures * 100 >= config.failureRatePercent() * recorded) {
      open(now);
    }
  }

  /** Nanoseconds until an open breaker lets a trial through; 0 when it is not open. */
  public synchronized long remainingOpenNanos(long now) {
    advance(now);
    return state == State.OPEN ? Math.max(0, openForNanos - (now - openedAt)) : 0;
  }

  private void advance(long now) {
    if (state == State.OPEN && now - openedAt >= openForNanos) {
      state = State.HALF_OPEN;
      trialsLeft = config.trialRequests();
      trialSuccesses = 0;
    }
  }

  private void open(long now) {
    state = State.OPEN;
    openedAt = now;
  }

  private void close() {
    state = State.CLOSED;
    position = 0;
    recorded = 0;
    failures = 0;
    java.util.Arrays.fill(window, false);
  }
}
