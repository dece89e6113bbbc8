// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.policy;

import java.util.List;

/**
 * Where a route's chain reports the time each policy spent and each policy's failures (the metrics). Made once
 * per compiled chain, indexed like the chain, so a run records into slots without looking anything up.
 * Called on the exchange's event loop: must not block.
 */
public interface PolicyTimings {

  /** Records nothing. */
  PolicyTimings NONE = new PolicyTimings() {
    @Override
    public void record(int index, long nanos) {}

    @Override
    public void failed(int index) {}
  };

  /** The policy at {@code index} spent {@code nanos} of one exchange (its own time, not the rest of the chain's). */
  void record(int index, long nanos);

  /** The policy at {@code index} failed or broke the chain's contract (500 {@code POLICY_ERROR}). */
  void failed(int index);

  /** Makes the timings of one route's chain when it is compiled. */
  @FunctionalInterface
  interface Factory {
    Factory NONE = (routeId, entries) -> PolicyTimings.NONE;

    PolicyTimings forChain(String routeId, List<ChainEntry> entries);
  }
}
