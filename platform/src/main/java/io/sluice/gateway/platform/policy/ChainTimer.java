// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.policy;

/**
 * The time limit of one chain run ({@code timeouts.policy}), armed while control is inside policies. The proxy
 * backs it with its per-event-loop deadline tick, so that a request with policies schedules no timer of its
 * own.
 *
 * <p>Used on the event loop of the exchange only.
 */
public interface ChainTimer {

  /** Runs {@code expired} after {@code millis} unless {@link #disarm disarmed} first; replaces an armed one. */
  void arm(long millis, Runnable expired);

  void disarm();
}
