// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.ratelimit;

/**
 * The state of one limit for one key. The policy locks a request's slots in limit order (nested
 * {@code synchronized}, so no two requests deadlock), {@link #probe probes} every one, and {@link #commit
 * commits} all of them only when all admit: a refusal by one limit consumes nothing from the others.
 * Every method but the constructor runs under the slot's monitor.
 */
abstract class Slot {

  static final int ADMIT = 0;
  static final int REFUSE = 1;
  /** A cluster lease is empty and a refill is on its way; the request waits in the slot's queue. */
  static final int WAIT = 2;
  /** The cluster cannot answer and the policy fails closed. */
  static final int UNAVAILABLE = 3;
  /** The slot was swept away between lookup and lock: look it up again. */
  static final int GONE = 4;

  /** Set by the sweeper, under the monitor, when it drops the slot from its map. */
  boolean gone;

  /** Whether the request may take one unit now; records a refusal (and its retry time) in {@code d}. */
  abstract int probe(long now, Decision d);

  /** Takes the unit {@link #probe} found, and reports what is left to {@code d}. */
  abstract void commit(long now, Decision d);

  /** Whether the slot holds nothing worth keeping at {@code now}, so the sweeper may drop it. */
  abstract boolean idle(long now);
}
